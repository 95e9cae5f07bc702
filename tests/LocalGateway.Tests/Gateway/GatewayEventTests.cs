using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using SocketRelay.LocalGateway.EventSource;
using SocketRelay.LocalGateway.Hosting;
using SocketRelay.LocalGateway.Tests.EventSource;
using SocketRelay.TestSupport;

namespace SocketRelay.LocalGateway.Tests.Gateway;

/// <summary>
/// What a function of any language receives from the whole gateway (WebSocket API → queue → poller → Runtime API →
/// child process), and how its answer is judged: a Python function run with <c>--function-binary</c>.
/// </summary>
public sealed class GatewayEventTests : IDisposable
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "socketrelay-events-" + Guid.NewGuid().ToString("N"));
    private readonly StringWriter _functionLogs = new();

    public void Dispose()
    {
        _functionLogs.Dispose();
        if (Directory.Exists(_dataDir))
        {
            Directory.Delete(_dataDir, recursive: true);
        }
    }

    private Task<GatewayHost> StartAsync(ScriptedFunction function) => GatewayHost.StartAsync(
        new GatewayOptions
        {
            Port = 0,
            DataDir = _dataDir,
            Pollers = 1,
            FunctionTimeoutSeconds = 5,
            VisibilityTimeoutSeconds = 5,
            FunctionBinary = function.Bootstrap,
            Region = "eu-west-2",
            FunctionName = "orders-consumer",
        },
        _ => null,
        TextWriter.Synchronized(_functionLogs),
        logging => logging.SetMinimumLevel(LogLevel.Warning));

    [Fact]
    public async Task Stopping_as_on_sigterm_answers_the_batch_in_flight_before_it_closes_the_clients_and_the_web_host()
    {
        using var function = new ScriptedFunction("", sleepSeconds: 3);
        await using var gateway = await StartAsync(function);
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(gateway.WebSocketUrl, CancellationToken.None);
        await socket.SendTextAsync("{\"MessageGroupId\": \"test\", \"data\": \"in flight at the stop\"}");
        // A client that answers the gateway's close frame at once, so nothing but the drain holds the stop,
        // and notes how far the queue had got when its connection was closed.
        var answeringClose = Task.Run(async () =>
        {
            var buffer = new byte[4096];
            while ((await socket.ReceiveAsync(buffer, CancellationToken.None)).MessageType != WebSocketMessageType.Close)
            {
            }

            var atClose = await gateway.Queue.GetStatsAsync(CancellationToken.None);
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
            return atClose;
        });
        await Eventually.ValueAsync(
            () => ScriptedFunction.Invocations(_functionLogs.ToString()) is { Count: > 0 } invocations ? invocations : null,
            TimeSpan.FromSeconds(30),
            "the Python function's first invocation");

        gateway.RequestStop();
        await gateway.Stopped.WaitAsync(TimeSpan.FromSeconds(30));
        var atClose = await answeringClose.WaitAsync(TimeSpan.FromSeconds(30));

        // The function was still working when the stop came; the client's connection was closed, and the web
        // host stopped, only after its answer: a reply it had posted would have reached the client.
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, socket.CloseStatus);
        Assert.Equal((1L, 1L, 0L), (atClose.Accepted, atClose.Completed, atClose.InFlight));
        var stats = await gateway.Queue.GetStatsAsync(CancellationToken.None);
        Assert.Equal((1L, 1L, 0L, 0L), (stats.Accepted, stats.Completed, stats.QueueDepth, stats.InFlight));
    }

    [Fact]
    public async Task A_function_gets_the_sqs_event_and_function_arn_of_the_configured_identity()
    {
        using var function = new ScriptedFunction("");
        await using var gateway = await StartAsync(function);
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(gateway.WebSocketUrl, CancellationToken.None);

        await socket.SendTextAsync("{\"MessageGroupId\": \"test\", \"data\": \"hello world\"}");

        // A child process starts slowly on a loaded machine: 30 s.
        var invocation = (await Eventually.ValueAsync(
            () => ScriptedFunction.Invocations(_functionLogs.ToString()) is { Count: > 0 } invocations ? invocations : null,
            TimeSpan.FromSeconds(30),
            "the Python function's first invocation"))[0];
        var headers = invocation.GetProperty("headers");
        Assert.Equal("arn:aws:lambda:eu-west-2:000000000000:function:orders-consumer", headers.GetProperty("lambda-runtime-invoked-function-arn").GetString());
        Assert.Equal("eu-west-2", invocation.GetProperty("region").GetString());
        Assert.Equal("orders-consumer", invocation.GetProperty("function_name").GetString());

        using var sqsEvent = JsonDocument.Parse(invocation.GetProperty("event").GetString()!);
        var record = sqsEvent.RootElement.GetProperty("Records")[0];
        Assert.Equal("arn:aws:sqs:eu-west-2:000000000000:socketrelay-local-messages.fifo", record.GetProperty("eventSourceARN").GetString());
        Assert.Equal("eu-west-2", record.GetProperty("awsRegion").GetString());
        Assert.Equal("aws:sqs", record.GetProperty("eventSource").GetString());
        var body = record.GetProperty("body").GetString()!;
        Assert.Equal("{\"MessageGroupId\":\"test\",\"data\":\"hello world\"}", body);
        Assert.Equal(SqsMessageDigest.OfBody(body), record.GetProperty("md5OfBody").GetString());
        Assert.Equal("test", record.GetProperty("attributes").GetProperty("MessageGroupId").GetString());

        var attributes = record.GetProperty("messageAttributes");
        var connectionId = attributes.GetProperty("connectionId").GetProperty("stringValue").GetString()!;
        var requestId = attributes.GetProperty("requestId").GetProperty("stringValue").GetString()!;
        var moto = await MotoSqs.DigestsAsync([new Dictionary<string, (string, string)> { ["connectionId"] = ("String", connectionId), ["requestId"] = ("String", requestId) }]);
        Assert.Equal(moto[0], record.GetProperty("md5OfMessageAttributes").GetString());
    }

    [Fact]
    public async Task A_function_that_answers_with_an_empty_body_has_its_messages_deleted_not_redelivered()
    {
        using var function = new ScriptedFunction("");
        await using var gateway = await StartAsync(function);
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(gateway.WebSocketUrl, CancellationToken.None);
        using var status = new GatewayStatusProbe(gateway.HttpUrl);

        await socket.SendTextAsync("{\"data\":1}");
        await socket.SendTextAsync("{\"data\":2}");

        await status.WaitForAsync(c => c.Completed == 2 && c.IsDrainedAndBalanced, TimeSpan.FromSeconds(30));
        // Past the visibility timeout, nothing came back: each message reached the function once.
        await Task.Delay(TimeSpan.FromSeconds(6));
        Assert.True((await status.ReadAsync()).IsDrainedAndBalanced);
        Assert.Equal(2, ScriptedFunction.Invocations(_functionLogs.ToString()).Sum(i => JsonDocument.Parse(i.GetProperty("event").GetString()!).RootElement.GetProperty("Records").GetArrayLength()));
    }
}
