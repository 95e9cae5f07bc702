using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using SocketRelay.LocalGateway.ApiGateway;
using SocketRelay.TestSupport;

namespace SocketRelay.LocalGateway.Tests.ApiGateway;

public sealed class ConnectionsApiTests : IAsyncLifetime
{
    private readonly Queue<string> _ids = new(["ab+c/d=efGHIJ+/==", "plainConnection1", "req-1", "req-2", "req-3"]);
    private GatewayHarness _gateway = null!;

    public async Task InitializeAsync() => _gateway = await GatewayHarness.StartAsync(
        options => options.SendTimeout = TimeSpan.FromSeconds(2),
        idSource: () => _ids.TryDequeue(out var id) ? id : Guid.NewGuid().ToString("N"));

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task Ids_with_plus_slash_and_equals_are_found_when_url_encoded()
    {
        var client = await _gateway.ConnectAsync();
        Assert.Equal("ab+c/d=efGHIJ+/==", client.ConnectionId);

        using var response = await _gateway.PostAsync(client.ConnectionId, "hi"u8.ToArray());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("hi", await client.ReceiveTextAsync());
    }

    [Fact]
    public async Task Data_that_is_not_UTF_8_arrives_whole_in_a_binary_frame_and_the_connection_stays_open()
    {
        var client = await _gateway.ConnectAsync();
        byte[] bytes = [0x00, 0x01, 0xFF, 0xC3];

        using var binary = await _gateway.PostAsync(client.ConnectionId, bytes);
        using var text = await _gateway.PostAsync(client.ConnectionId, "h\u00e9llo \u2713"u8.ToArray());

        Assert.Equal(HttpStatusCode.OK, binary.StatusCode);
        var first = await client.ReceiveMessageAsync();
        Assert.Equal(WebSocketMessageType.Binary, first.Type);
        Assert.Equal(bytes, first.Payload);
        Assert.Equal(HttpStatusCode.OK, text.StatusCode);
        var second = await client.ReceiveMessageAsync();
        Assert.Equal(WebSocketMessageType.Text, second.Type);
        Assert.Equal("h\u00e9llo \u2713", Encoding.UTF8.GetString(second.Payload));
    }

    [Theory]
    [InlineData("")]
    [InlineData("/production")]
    [InlineData("/local/extra")]
    public async Task A_signed_request_to_any_path_but_the_stages_is_403_Forbidden_and_never_reaches_the_client(string prefix)
    {
        var client = await _gateway.ConnectAsync();

        using var post = await _gateway.PostAsync(client.ConnectionId, "wrong path"u8.ToArray(), prefix);
        using var get = await _gateway.GetAsync(client.ConnectionId, prefix);
        using var delivered = await _gateway.PostAsync(client.ConnectionId, "right path"u8.ToArray());

        await AssertErrorAsync(post, HttpStatusCode.Forbidden, "ForbiddenException", "Forbidden");
        await AssertErrorAsync(get, HttpStatusCode.Forbidden, "ForbiddenException", "Forbidden");
        Assert.Equal(HttpStatusCode.OK, delivered.StatusCode);
        Assert.Equal("right path", await client.ReceiveTextAsync());
    }

    [Fact]
    public async Task Paths_that_do_not_name_connections_stay_404()
    {
        using var response = await _gateway.Http.GetAsync(new Uri("/local/something", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Posting_to_a_closed_connection_is_410_Gone()
    {
        var client = await _gateway.ConnectAsync();
        await client.Socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
        await Eventually.TrueAsync(() => _gateway.Registry.Count == 0);

        using var response = await _gateway.PostAsync(client.ConnectionId, "late"u8.ToArray());

        await AssertErrorAsync(response, HttpStatusCode.Gone, "GoneException");
    }

    [Fact]
    public async Task Unknown_connections_are_410_for_every_method()
    {
        using var post = await _gateway.PostAsync("neverConnected", "x"u8.ToArray());
        using var get = await _gateway.GetAsync("neverConnected");
        using var delete = await _gateway.DeleteAsync("neverConnected");

        await AssertErrorAsync(post, HttpStatusCode.Gone, "GoneException");
        await AssertErrorAsync(get, HttpStatusCode.Gone, "GoneException");
        await AssertErrorAsync(delete, HttpStatusCode.Gone, "GoneException");
    }

    [Fact]
    public async Task A_payload_over_128_KB_is_413_and_not_sent()
    {
        var client = await _gateway.ConnectAsync();

        using var tooLarge = await _gateway.PostAsync(client.ConnectionId, new byte[(128 * 1024) + 1]);
        using var atLimit = await _gateway.PostAsync(client.ConnectionId, Encoding.ASCII.GetBytes(new string('a', 128 * 1024)));

        await AssertErrorAsync(tooLarge, HttpStatusCode.RequestEntityTooLarge, "PayloadTooLargeException");
        Assert.Equal(HttpStatusCode.OK, atLimit.StatusCode);
        Assert.Equal(128 * 1024, (await client.ReceiveBytesAsync()).Length);
    }

    [Fact]
    public async Task Get_describes_the_connection_like_GetConnection()
    {
        var client = await _gateway.ConnectAsync(userAgent: "wscat/6");

        using var response = await _gateway.GetAsync(client.ConnectionId);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var info = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = info.RootElement;
        Assert.Equal(["connectedAt", "identity", "lastActiveAt"], root.EnumerateObject().Select(p => p.Name));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", root.GetProperty("connectedAt").GetString());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", root.GetProperty("lastActiveAt").GetString());
        Assert.Equal("127.0.0.1", root.GetProperty("identity").GetProperty("sourceIp").GetString());
        Assert.Equal("wscat/6", root.GetProperty("identity").GetProperty("userAgent").GetString());
    }

    [Fact]
    public async Task Delete_is_204_and_closes_the_clients_socket()
    {
        var client = await _gateway.ConnectAsync();

        using var response = await _gateway.DeleteAsync(client.ConnectionId);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, await client.ReceiveCloseAsync());
        using var afterwards = await _gateway.GetAsync(client.ConnectionId);
        Assert.Equal(HttpStatusCode.Gone, afterwards.StatusCode);
    }

    [Fact]
    public async Task A_client_that_never_reads_does_not_delay_replies_to_others_and_is_dropped()
    {
        var stalled = await _gateway.ConnectAsync();
        var reader = await _gateway.ConnectAsync();
        var payload = new byte[128 * 1024];
        var flooding = Task.Run(async () =>
        {
            for (var i = 0; i < 2000; i++)
            {
                using var response = await _gateway.PostAsync(stalled.ConnectionId, payload);
                if (response.StatusCode == HttpStatusCode.Gone)
                {
                    return i;
                }
            }

            return -1;
        });
        // Loopback buffers hold a few megabytes; after that a send to the stalled client waits up to SendTimeout.
        await Task.Delay(500);

        var started = DateTime.UtcNow;
        using var reply = await _gateway.PostAsync(reader.ConnectionId, "still here"u8.ToArray());
        Assert.Equal("still here", await reader.ReceiveTextAsync());
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromMilliseconds(400), "the reply waited for the stalled client");
        Assert.False(flooding.IsCompleted, "the stalled client was dropped before the other reply was sent");

        Assert.True(await flooding > 0, "the stalled client was never found gone");
        using var gone = await _gateway.GetAsync(stalled.ConnectionId);
        Assert.Equal(HttpStatusCode.Gone, gone.StatusCode);
    }

    [Theory]
    [InlineData("127.0.0.1", true, true)]
    [InlineData("::1", true, true)]
    [InlineData("::ffff:127.0.0.1", true, true)]
    [InlineData("192.168.1.20", true, false)]
    [InlineData("10.0.0.1", true, false)]
    [InlineData("2001:db8::1", true, false)]
    [InlineData("192.168.1.20", false, true)]
    public void Only_loopback_clients_may_use_the_management_API_when_restricted(string address, bool restrict, bool allowed) =>
        Assert.Equal(allowed, ManagementRequestTarget.IsClientAllowed(
            IPAddress.Parse(address), new ApiGatewayOptions { RestrictManagementToLoopback = restrict }));

    [Theory]
    [InlineData("/local/@connections/abc", "abc")]
    [InlineData("/local/@connections/ab%2Bc%2Fd%3D%3D", "ab+c/d==")]
    [InlineData("/local/@connections/ab+c", "ab+c")]
    [InlineData("/local/@connections/abc?x=1", "abc")]
    public void The_connection_id_is_url_decoded_from_the_raw_target(string target, string expected)
    {
        Assert.True(ManagementRequestTarget.TryGetConnectionId(target, "local", out var id, out _, out _));
        Assert.Equal(expected, id);
    }

    [Theory]
    [InlineData("/@connections/abc")]
    [InlineData("/production/@connections/abc")]
    [InlineData("/local/@connections/")]
    [InlineData("/local/@connections/a/b")]
    [InlineData("/a/local/@connections/c")]
    [InlineData("/local/connections/abc")]
    public void Other_targets_name_no_connection(string target) =>
        Assert.False(ManagementRequestTarget.TryGetConnectionId(target, "local", out _, out _, out _));

    internal static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string errorType, string? message = null)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal(errorType, Assert.Single(response.Headers.GetValues("x-amzn-ErrorType")));
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var property = Assert.Single(body.RootElement.EnumerateObject());
        Assert.Equal("message", property.Name);
        if (message is not null)
        {
            Assert.StartsWith(message, property.Value.GetString(), StringComparison.Ordinal);
        }
    }
}
