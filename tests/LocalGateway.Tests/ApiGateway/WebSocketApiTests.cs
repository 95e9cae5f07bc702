using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using SocketRelay.TestSupport;

namespace SocketRelay.LocalGateway.Tests.ApiGateway;

public sealed class WebSocketApiTests : IAsyncLifetime
{
    private GatewayHarness _gateway = null!;

    public async Task InitializeAsync() => _gateway = await GatewayHarness.StartAsync();

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task The_seed_transcript_is_queued_compactly_and_the_reply_arrives_byte_exact()
    {
        var client = await _gateway.ConnectAsync();

        await client.SendTextAsync("""{"MessageGroupId": "test", "data": "hello world"}""");
        var queued = await _gateway.Sink.WaitForLastAsync(1);

        Assert.Equal("""{"MessageGroupId":"test","data":"hello world"}""", queued.Body);
        Assert.Equal("test", queued.GroupId.Value);
        Assert.Equal(client.ConnectionId, queued.ConnectionId.Value);
        Assert.Equal(16, queued.RequestId.Value.Length);
        Assert.NotEqual(client.ConnectionId, queued.RequestId.Value);

        var reply = SeedReply(queued.ConnectionId.Value, queued.RequestId.Value, queued.Body);
        using var response = await _gateway.PostAsync(client.ConnectionId, reply);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(reply, await client.ReceiveBytesAsync());
    }

    [Fact]
    public async Task Without_MessageGroupId_the_connection_id_is_the_group_and_each_message_gets_a_new_request_id()
    {
        var client = await _gateway.ConnectAsync();

        await client.SendTextAsync("""{"data":1}""");
        await client.SendTextAsync("""{"data":2}""");
        var queued = await _gateway.Sink.WaitForAsync(2);

        Assert.All(queued, message => Assert.Equal(client.ConnectionId, message.GroupId.Value));
        Assert.NotEqual(queued[0].RequestId, queued[1].RequestId);
    }

    [Fact]
    public async Task Two_hundred_messages_of_one_connection_reach_the_sink_in_order()
    {
        var client = await _gateway.ConnectAsync();

        for (var i = 0; i < 200; i++)
        {
            await client.SendTextAsync($$"""{"n":{{i}}}""");
        }

        var queued = await _gateway.Sink.WaitForAsync(200);
        Assert.Equal(Enumerable.Range(0, 200).Select(i => $$"""{"n":{{i}}}"""), queued.Select(m => m.Body));
    }

    [Fact]
    public async Task Thirty_connections_sending_at_once_each_keep_their_order()
    {
        var clients = new List<TestClient>();
        for (var c = 0; c < 30; c++)
        {
            clients.Add(await _gateway.ConnectAsync());
        }

        await Task.WhenAll(clients.Select(async client =>
        {
            for (var i = 0; i < 20; i++)
            {
                await client.SendTextAsync($$"""{"n":{{i}}}""");
            }
        }));

        var queued = await _gateway.Sink.WaitForAsync(600);
        Assert.All(clients, client => Assert.Equal(
            Enumerable.Range(0, 20).Select(i => $$"""{"n":{{i}}}"""),
            queued.Where(m => m.ConnectionId.Value == client.ConnectionId).Select(m => m.Body)));
    }

    [Fact]
    public async Task Special_characters_survive_the_round_trip_byte_exact()
    {
        // Sent: raw & + % = é 𝄞 and %2B; escaped \" \\ \u00e9 \n \u0026 \/.
        const string inbound = """{ "data": "& + % = \" \\ é 𝄞 %2B \u00e9 \n \u0026 \/" }""";
        // Queued as JSON.stringify would write it: only \" \\ and \n stay escaped.
        const string expected = """{"data":"& + % = \" \\ é 𝄞 %2B é \n & /"}""";
        var client = await _gateway.ConnectAsync();

        await client.SendTextAsync(inbound);
        var queued = await _gateway.Sink.WaitForLastAsync(1);
        Assert.Equal(expected, queued.Body);

        var reply = SeedReply(client.ConnectionId, queued.RequestId.Value, queued.Body);
        using var response = await _gateway.PostAsync(client.ConnectionId, reply);
        Assert.Equal(reply, await client.ReceiveBytesAsync());
        using var echoed = JsonDocument.Parse(reply);
        Assert.Equal(expected, echoed.RootElement.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_sink_failure_answers_with_an_internal_error_frame_and_the_connection_stays_usable()
    {
        _gateway.Sink.FailWhen = message => message.Body.Contains("fail", StringComparison.Ordinal);
        var client = await _gateway.ConnectAsync();

        await client.SendTextAsync("""{"data":"fail"}""");
        var frame = await client.ReceiveTextAsync();
        await client.SendTextAsync("""{"data":"ok"}""");

        using var error = JsonDocument.Parse(frame);
        Assert.Equal(["message", "connectionId", "requestId"], error.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("Internal server error", error.RootElement.GetProperty("message").GetString());
        Assert.Equal(client.ConnectionId, error.RootElement.GetProperty("connectionId").GetString());
        Assert.Equal(16, error.RootElement.GetProperty("requestId").GetString()!.Length);
        Assert.Equal("""{"data":"ok"}""", (await _gateway.Sink.WaitForLastAsync(1)).Body);
        Assert.Contains(_gateway.Logs.Entries, entry => entry.Level == LogLevel.Error && entry.Message.Contains("could not be queued", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_plain_HTTP_request_to_the_WebSocket_endpoint_gets_426_with_the_url_to_connect_to()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/local", UriKind.Relative)) { Headers = { Host = "elsewhere.example" } };
        using var response = await _gateway.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.UpgradeRequired, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var authority = new Uri(_gateway.Http.BaseAddress!, "/").Authority;
        Assert.Contains($"wscat -c ws://{authority}/local\n", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_registry_tracks_live_connections_and_forgets_closed_ones()
    {
        var client = await _gateway.ConnectAsync(userAgent: "registry-test/1.0");

        var snapshot = Assert.Single(_gateway.Registry.Connections).ToSnapshot();
        Assert.Equal(1, _gateway.Registry.Count);
        Assert.Equal("registry-test/1.0", snapshot.UserAgent);
        Assert.Equal("127.0.0.1", snapshot.SourceIp);

        await client.Socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
        await Eventually.TrueAsync(() => _gateway.Registry.Count == 0);
    }

    internal static byte[] SeedReply(string connectionId, string requestId, string message)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteString("connectionId", connectionId);
            writer.WriteString("requestId", requestId);
            writer.WriteString("message", message);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
