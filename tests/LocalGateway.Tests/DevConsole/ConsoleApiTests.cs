using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using SocketRelay.LocalGateway.Hosting;
using SocketRelay.LocalGateway.Tests.Gateway;
using SocketRelay.LocalGateway.Tests.Queue.Sqs;
using SocketRelay.LocalGateway.Tests.Reliability;

namespace SocketRelay.LocalGateway.Tests.DevConsole;

/// <summary>The console's JSON endpoints against a real gateway: the shapes the README documents.</summary>
public sealed class ConsoleApiTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Connections_list_each_open_connection_with_its_message_count_and_pipeline_counts_what_went_through()
    {
        await using var gateway = await ReliabilityGateway.StartAsync(_ => { }, new Dictionary<string, string>());
        using var http = new HttpClient { BaseAddress = gateway.Host.HttpUrl };
        using var client = new ClientWebSocket();
        await client.ConnectAsync(gateway.Host.WebSocketUrl, CancellationToken.None);
        await client.SendTextAsync("""{"MessageGroupId":"g","n":1}""");
        await client.ReceiveTextAsync();
        await client.SendTextAsync("""{"MessageGroupId":"g","n":2}""");
        var reply = JsonDocument.Parse(await client.ReceiveTextAsync()).RootElement;

        var connection = (await http.GetFromJsonAsync<JsonElement>("/_local/api/connections")).GetProperty("connections").EnumerateArray().Single();
        Assert.Equal(reply.GetProperty("connectionId").GetString(), connection.GetProperty("connectionId").GetString());
        Assert.Equal(2, connection.GetProperty("messages").GetInt32());
        Assert.True(connection.GetProperty("lastActiveAt").GetInt64() >= connection.GetProperty("connectedAt").GetInt64());
        var pipeline = await WaitForAsync(http, "/_local/api/pipeline", p => p.GetProperty("connectionsApi").GetProperty("delivered").GetInt32() == 2);
        Assert.Equal((2, 2), (pipeline.GetProperty("webSocketApi").GetProperty("received").GetInt32(), pipeline.GetProperty("queue").GetProperty("accepted").GetInt32()));
        Assert.Equal(300, pipeline.GetProperty("series").GetProperty("received").GetArrayLength());
        var messages = (await http.GetFromJsonAsync<JsonElement>("/_local/api/messages")).GetProperty("messages");
        Assert.Equal(reply.GetProperty("requestId").GetString(), messages[0].GetProperty("requestId").GetString());
    }

    [Fact]
    public async Task Lists_honour_limit_and_refuse_a_limit_that_is_not_a_positive_whole_number()
    {
        await using var gateway = await ReliabilityGateway.StartAsync(_ => { }, new Dictionary<string, string>());
        using var http = new HttpClient { BaseAddress = gateway.Host.HttpUrl };
        using var client = new ClientWebSocket();
        await client.ConnectAsync(gateway.Host.WebSocketUrl, CancellationToken.None);
        for (var i = 0; i < 3; i++)
        {
            await client.SendTextAsync($$"""{"MessageGroupId":"g","n":{{i}}}""");
            await client.ReceiveTextAsync();
        }

        Assert.Equal(2, (await http.GetFromJsonAsync<JsonElement>("/_local/api/messages?limit=2")).GetProperty("messages").GetArrayLength());
        Assert.Equal(3, (await http.GetFromJsonAsync<JsonElement>("/_local/api/messages")).GetProperty("messages").GetArrayLength());
        // However large, a positive whole number lists what is kept.
        foreach (var large in new[] { "99999999999", "99999999999999999999999999", "0003" })
        {
            Assert.Equal(3, (await http.GetFromJsonAsync<JsonElement>("/_local/api/messages?limit=" + large)).GetProperty("messages").GetArrayLength());
        }

        foreach (var path in new[] { "/_local/api/messages?limit=abc", "/_local/api/invocations?limit=0", "/_local/api/invocations?limit=000", "/_local/api/dead-letters?limit=-5", "/_local/api/messages?limit=1&limit=2", "/_local/api/messages?limit=+4", "/_local/api/messages?limit=" })
        {
            using var response = await http.GetAsync(path);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString();
            Assert.Contains("limit must be one positive whole number", error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Bodies_read_as_written_and_an_unknown_api_path_or_method_answers_404_in_the_error_shape()
    {
        await using var gateway = await ReliabilityGateway.StartAsync(_ => { }, new Dictionary<string, string>());
        using var http = new HttpClient { BaseAddress = gateway.Host.HttpUrl };
        using var client = new ClientWebSocket();
        await client.ConnectAsync(gateway.Host.WebSocketUrl, CancellationToken.None);
        await client.SendTextAsync("""{"MessageGroupId":"g","say":"<hi> & 'bye'"}""");
        await client.ReceiveTextAsync();

        // As curl shows it: the body's quotes escaped as JSON escapes them, nothing as \u00XX.
        using var messages = await http.GetAsync("/_local/api/messages");
        Assert.Equal("nosniff", messages.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("""\"say\":\"<hi> & 'bye'\"}""", await messages.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        foreach (var (method, path) in new[] { (HttpMethod.Get, "/_local/api/nope"), (HttpMethod.Post, "/_local/api/pipeline") })
        {
            using var request = new HttpRequestMessage(method, path);
            request.Headers.Add("X-SocketRelay-Console", "1");
            using var response = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal(
                $"no console API answers {method.Method} {path}: see GET /_local/api/pipeline, messages, connections, invocations and dead-letters",
                (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
        }
    }

    [Fact]
    public async Task Connections_are_listed_newest_first_and_capped_by_limit()
    {
        await using var gateway = await ReliabilityGateway.StartAsync(_ => { }, new Dictionary<string, string>());
        using var http = new HttpClient { BaseAddress = gateway.Host.HttpUrl };
        var clients = new List<ClientWebSocket>();
        var ids = new List<string>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var client = new ClientWebSocket();
                clients.Add(client);
                await client.ConnectAsync(gateway.Host.WebSocketUrl, CancellationToken.None);
                await client.SendTextAsync($$"""{"MessageGroupId":"g{{i}}"}""");
                ids.Add(JsonDocument.Parse(await client.ReceiveTextAsync()).RootElement.GetProperty("connectionId").GetString()!);
                await Task.Delay(5); // distinct connectedAt milliseconds
            }

            var listed = (await http.GetFromJsonAsync<JsonElement>("/_local/api/connections?limit=2")).GetProperty("connections")
                .EnumerateArray().Select(c => c.GetProperty("connectionId").GetString()).ToList();
            Assert.Equal([ids[2], ids[1]], listed);
            using var refused = await http.GetAsync("/_local/api/connections?limit=abc");
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    [Fact]
    public async Task A_closed_connection_leaves_no_count_behind_even_when_nobody_opens_the_console()
    {
        await using var gateway = await ReliabilityGateway.StartAsync(_ => { }, new Dictionary<string, string>());
        for (var i = 0; i < 5; i++)
        {
            using var client = new ClientWebSocket();
            await client.ConnectAsync(gateway.Host.WebSocketUrl, CancellationToken.None);
            await client.SendTextAsync($$"""{"MessageGroupId":"g{{i}}"}""");
            await client.ReceiveTextAsync();
            await client.CloseAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
        }

        var until = DateTime.UtcNow + Patience;
        while (gateway.Host.Recorder!.Held.Connections > 0 && DateTime.UtcNow < until)
        {
            await Task.Delay(50);
        }

        Assert.Equal(0, gateway.Host.Recorder.Held.Connections);
    }

    [Fact]
    public async Task A_dead_letter_is_listed_with_its_413_reason_and_body_and_can_be_redriven_or_deleted_through_the_api()
    {
        await using var gateway = await ReliabilityGateway.StartWithQuickRedriveAsync();
        using var http = new HttpClient { BaseAddress = gateway.Host.HttpUrl };
        http.DefaultRequestHeaders.Add("X-SocketRelay-Console", "1");
        await using var sender = await LedgerClient.ConnectAsync(gateway.Host.WebSocketUrl, "poisoned");
        var body = $$"""{"MessageGroupId":"poisoned","quotes":"{{string.Concat(Enumerable.Repeat("\\\"", 35 * 1024))}}"}""";
        await sender.SendLargeAsync(body);

        var list = await WaitForAsync(http, "/_local/api/dead-letters", d => d.GetProperty("total").GetInt32() == 1);
        var deadLetter = list.GetProperty("deadLetters")[0];
        var messageId = deadLetter.GetProperty("messageId").GetString()!;
        Assert.Contains("Last failure: @connections answered 413", deadLetter.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(body.Replace(" ", "", StringComparison.Ordinal), deadLetter.GetProperty("body").GetString());
        Assert.Equal(2, deadLetter.GetProperty("receiveCount").GetInt32());

        using (var unknown = await http.PostAsync("/_local/api/dead-letters/redrive?messageId=nope", null))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        }

        // An empty id (a script's unset variable), two ids or a misspelt parameter are refused; none redrives every dead letter.
        foreach (var query in new[] { "?messageId=", $"?messageId={messageId}&messageId=nope", $"?message_id={messageId}" })
        {
            using var refused = await http.PostAsync($"/_local/api/dead-letters/redrive{query}", null);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }

        Assert.Equal(1, (await http.GetFromJsonAsync<JsonElement>("/_local/api/dead-letters")).GetProperty("total").GetInt32());

        using (var redriven = await http.PostAsync($"/_local/api/dead-letters/redrive?messageId={messageId}", null))
        {
            Assert.Equal(HttpStatusCode.OK, redriven.StatusCode);
            Assert.Equal(messageId, (await redriven.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("redriven")[0].GetString());
        }

        var again = await WaitForAsync(http, "/_local/api/dead-letters", d => d.GetProperty("total").GetInt32() == 1);
        Assert.Equal(messageId, again.GetProperty("deadLetters")[0].GetProperty("messageId").GetString());
        using (var deleted = await http.DeleteAsync($"/_local/api/dead-letters/{messageId}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        using (var twice = await http.DeleteAsync($"/_local/api/dead-letters/{messageId}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, twice.StatusCode);
        }

        Assert.Equal(0, (await http.GetFromJsonAsync<JsonElement>("/_local/api/dead-letters")).GetProperty("total").GetInt32());
        var steps = (await http.GetFromJsonAsync<JsonElement>($"/_local/api/messages?messageId={messageId}")).GetProperty("messages")[0].GetProperty("steps")
            .EnumerateArray().Select(s => s.GetProperty("step").GetString()).Where(s => s is "dead-lettered" or "redriven" or "deleted");
        Assert.Equal(["dead-lettered", "redriven", "dead-lettered", "deleted"], steps);
    }

    [Fact]
    public async Task On_the_sqs_backend_redrive_and_delete_answer_501_and_say_where_to_do_it()
    {
        await using var sqs = await FakeSqsEndpoint.StartAsync();
        var dataDir = Path.Combine(Path.GetTempPath(), "socketrelay-sqs-" + Guid.NewGuid().ToString("N"));
        await using var gateway = await GatewayHost.StartAsync(
            new GatewayOptions { Port = 0, DataDir = dataDir, Queue = "sqs", SqsQueueUrl = FakeSqsEndpoint.QueueUrl, SqsServiceUrl = sqs.Url.ToString(), Pollers = 1 },
            Environment.GetEnvironmentVariable,
            TextWriter.Null,
            logging => logging.SetMinimumLevel(LogLevel.None));
        using var http = new HttpClient { BaseAddress = gateway.HttpUrl };
        http.DefaultRequestHeaders.Add("X-SocketRelay-Console", "1");

        using var redrive = await http.PostAsync("/_local/api/dead-letters/redrive", null);
        using var delete = await http.DeleteAsync("/_local/api/dead-letters/some-id");

        Assert.Equal((HttpStatusCode.NotImplemented, HttpStatusCode.NotImplemented), (redrive.StatusCode, delete.StatusCode));
        Assert.Contains("StartMessageMoveTask", await redrive.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task<JsonElement> WaitForAsync(HttpClient http, string path, Func<JsonElement, bool> condition)
    {
        var until = DateTime.UtcNow + Patience;
        while (true)
        {
            var value = await http.GetFromJsonAsync<JsonElement>(path);
            if (condition(value))
            {
                return value;
            }

            Assert.True(DateTime.UtcNow < until, $"{path} never showed what was expected: {value}");
            await Task.Delay(100);
        }
    }
}
