using System.Net.WebSockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using SocketRelay.LocalGateway.Hosting;
using SocketRelay.LocalGateway.Tests.ApiGateway;
using SocketRelay.LocalGateway.Tests.Gateway;
using SocketRelay.TestSupport;

namespace SocketRelay.LocalGateway.Tests.Lambda;

/// <summary>
/// Functions run by AWS's own Node.js runtime interface client, unchanged, through the whole gateway
/// (WebSocket API → queue → event source → Runtime API → child process): the environment they see and the
/// lifecycle Lambda gives them.
/// </summary>
public sealed partial class NodeFunctionGatewayTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "socketrelay-node-" + Guid.NewGuid().ToString("N"));
    private readonly StringWriter _functionLogs = new();
    private readonly RecordingLoggerProvider _gatewayLog = new();

    public void Dispose()
    {
        _functionLogs.Dispose();
        _gatewayLog.Dispose();
        if (Directory.Exists(_dataDir))
        {
            Directory.Delete(_dataDir, recursive: true);
        }
    }

    private string FunctionLogs => _functionLogs.ToString();

    private Task<GatewayHost> StartAsync(string bootstrap, string handler, Action<GatewayOptions>? configure = null)
    {
        var options = new GatewayOptions
        {
            Port = 0,
            DataDir = _dataDir,
            Pollers = 1,
            FunctionTimeoutSeconds = 5,
            VisibilityTimeoutSeconds = 5,
            FunctionBinary = bootstrap,
            Handler = handler,
            Region = "eu-west-2",
            FunctionName = "orders-consumer",
            FunctionMemoryMb = 512,
        };
        configure?.Invoke(options);
        return GatewayHost.StartAsync(options, Environment.GetEnvironmentVariable, TextWriter.Synchronized(_functionLogs), logging => logging.AddProvider(_gatewayLog));
    }

    private static async Task<ClientWebSocket> ConnectAsync(GatewayHost gateway)
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(gateway.WebSocketUrl, CancellationToken.None);
        return socket;
    }

    [Fact]
    public async Task The_node_sample_answers_the_seed_transcript()
    {
        var bootstrap = await NodeFunction.SampleAsync();
        await using var gateway = await StartAsync(bootstrap, "index.handler");
        using var socket = await ConnectAsync(gateway);

        await socket.SendTextAsync("{\"MessageGroupId\": \"test\", \"data\": \"hello world\"}");
        var reply = await socket.ReceiveTextAsync(Patience);

        Assert.Matches(SeedReply(), reply);
        using var status = new GatewayStatusProbe(gateway.HttpUrl);
        await status.WaitUntilDrainedAsync(1, Patience);
    }

    [Fact]
    public async Task A_handler_sees_lambdas_variables_and_its_configured_ones_and_nothing_else_of_the_gateways_shell()
    {
        using var probes = await NodeFunction.ProbesAsync();
        await using var gateway = await StartAsync(probes.Bootstrap, "handlers.env", o => o.FunctionEnvironment["ORDERS_TABLE"] = "orders");
        using var socket = await ConnectAsync(gateway);

        await socket.SendTextAsync("{\"data\":1}");

        var env = (await Eventually.ValueAsync(() => NodeFunction.Probes(FunctionLogs, "env") is { Count: > 0 } p ? p : null, Patience, "the env probe"))[0].GetProperty("env");
        string Var(string name) => env.TryGetProperty(name, out var value) ? value.GetString()! : throw new Xunit.Sdk.XunitException($"{name} is not set; the function got: {env}");
        Assert.Equal("handlers.env", Var("_HANDLER"));
        Assert.Matches(TraceHeader(), Var("_X_AMZN_TRACE_ID"));
        Assert.Equal("eu-west-2", Var("AWS_REGION"));
        Assert.Equal("eu-west-2", Var("AWS_DEFAULT_REGION"));
        Assert.Equal("orders-consumer", Var("AWS_LAMBDA_FUNCTION_NAME"));
        Assert.Equal("$LATEST", Var("AWS_LAMBDA_FUNCTION_VERSION"));
        Assert.Equal("512", Var("AWS_LAMBDA_FUNCTION_MEMORY_SIZE"));
        Assert.Equal("on-demand", Var("AWS_LAMBDA_INITIALIZATION_TYPE"));
        Assert.Equal("/aws/lambda/orders-consumer", Var("AWS_LAMBDA_LOG_GROUP_NAME"));
        Assert.Matches(LogStream(), Var("AWS_LAMBDA_LOG_STREAM_NAME"));
        Assert.StartsWith(DateTime.UtcNow.ToString("yyyy'/'MM'/'dd", System.Globalization.CultureInfo.InvariantCulture), Var("AWS_LAMBDA_LOG_STREAM_NAME"), StringComparison.Ordinal);
        Assert.NotEmpty(Var("AWS_ACCESS_KEY_ID"));
        Assert.Equal(Var("AWS_ACCESS_KEY_ID"), Var("AWS_ACCESS_KEY"));
        Assert.Equal("LOG_ERROR", Var("AWS_XRAY_CONTEXT_MISSING"));
        Assert.NotEmpty(Var("AWS_SECRET_ACCESS_KEY"));
        Assert.NotEmpty(Var("AWS_SESSION_TOKEN"));
        Assert.Matches(@"^127\.0\.0\.1:[0-9]+$", Var("AWS_LAMBDA_RUNTIME_API"));
        Assert.Equal(probes.Folder, Var("LAMBDA_TASK_ROOT"));
        Assert.Equal("/var/runtime", Var("LAMBDA_RUNTIME_DIR"));
        Assert.Equal(":UTC", Var("TZ"));
        Assert.Equal("en_US.UTF-8", Var("LANG"));
        Assert.StartsWith("/usr/local/bin:/usr/bin/:/bin:/opt/bin", Var("PATH"), StringComparison.Ordinal);
        Assert.Contains($":{probes.Folder}:{probes.Folder}/lib:", Var("LD_LIBRARY_PATH"), StringComparison.Ordinal);
        Assert.Equal("orders", Var("ORDERS_TABLE"));
        Assert.Equal(gateway.HttpUrl.ToString().TrimEnd('/') + "/local", Var("WEBSOCKET_API_ENDPOINT"));
        // Nothing of the test process's own environment leaks in (it has HOME, and DOTNET_* under dotnet test).
        Assert.False(env.TryGetProperty("HOME", out _), "HOME leaked into the function's environment");
        Assert.DoesNotContain(env.EnumerateObject(), v => v.Name.StartsWith("DOTNET_", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_handler_that_returns_null_succeeds_and_its_message_is_not_redelivered()
    {
        using var probes = await NodeFunction.ProbesAsync();
        await using var gateway = await StartAsync(probes.Bootstrap, "handlers.env", o => (o.FunctionTimeoutSeconds, o.VisibilityTimeoutSeconds) = (2, 2));
        using var socket = await ConnectAsync(gateway);
        using var status = new GatewayStatusProbe(gateway.HttpUrl);

        await socket.SendTextAsync("{\"data\":1}");
        await status.WaitUntilDrainedAsync(1, Patience);
        await Task.Delay(TimeSpan.FromSeconds(3)); // past the visibility timeout

        Assert.Single(NodeFunction.Probes(FunctionLogs, "env"));
        var counters = await status.ReadAsync();
        Assert.Equal((1, 0), (counters.Completed, counters.DlqDepth));
    }

    [Fact]
    public async Task A_handler_that_throws_has_its_error_in_the_gateway_output_and_its_message_retried_then_dead_lettered()
    {
        using var probes = await NodeFunction.ProbesAsync();
        await using var gateway = await StartAsync(probes.Bootstrap, "handlers.fail", o => (o.FunctionTimeoutSeconds, o.VisibilityTimeoutSeconds, o.MaxReceiveCount) = (1, 1, 2));
        using var socket = await ConnectAsync(gateway);
        using var status = new GatewayStatusProbe(gateway.HttpUrl);

        await socket.SendTextAsync("{\"data\":1}");
        var counters = await status.WaitForAsync(c => c.DlqDepth == 1, Patience);

        Assert.Equal(0, counters.Completed);
        Assert.Equal(2, NodeFunction.Probes(FunctionLogs, "fail").Count);
        Assert.Contains(_gatewayLog.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("Error: orders table is missing", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_handler_that_outlives_the_timeout_is_stopped_and_the_next_event_runs_in_a_new_process()
    {
        using var probes = await NodeFunction.ProbesAsync();
        await using var gateway = await StartAsync(probes.Bootstrap, "handlers.slow", o => (o.FunctionTimeoutSeconds, o.VisibilityTimeoutSeconds) = (1, 30));
        using var socket = await ConnectAsync(gateway);

        await socket.SendTextAsync("{\"MessageGroupId\":\"a\",\"data\":\"slow\"}");
        var slow = (await Eventually.ValueAsync(() => NodeFunction.Probes(FunctionLogs, "slow") is { Count: > 0 } p ? p : null, Patience, "the slow invocation"))[0];
        await Eventually.TrueAsync(() => _gatewayLog.Entries.Any(e => e.Message.Contains("timed out", StringComparison.Ordinal)), Patience, "the time-out");
        await socket.SendTextAsync("{\"MessageGroupId\":\"b\",\"data\":\"fast\"}");
        var fast = await Eventually.ValueAsync(() => NodeFunction.Probes(FunctionLogs, "slow").Where(p => !p.GetProperty("slow").GetBoolean()).ToList() is { Count: > 0 } p ? p : null, Patience, "the next invocation");

        Assert.NotEqual(slow.GetProperty("pid").GetInt32(), fast[0].GetProperty("pid").GetInt32());
        using var status = new GatewayStatusProbe(gateway.HttpUrl);
        var counters = await status.WaitForAsync(c => c.Completed == 1, Patience);
        Assert.Equal(1, counters.InFlight); // the slow one waits for its visibility timeout, as in Lambda
    }

    [Fact]
    public async Task The_console_shows_each_invocations_plain_text_output_under_that_invocation()
    {
        using var probes = await NodeFunction.ProbesAsync();
        await using var gateway = await StartAsync(probes.Bootstrap, "handlers.logs");
        using var socket = await ConnectAsync(gateway);
        using var http = new HttpClient { BaseAddress = gateway.HttpUrl };

        await socket.SendTextAsync("{\"data\":1}");

        // Neither line carries Powertools' function_request_id: the console places them by the environment that wrote them.
        var invocations = await Eventually.ReadUntilAsync(
            async () =>
            {
                using var document = JsonDocument.Parse(await http.GetStringAsync(new Uri("/_local/api/invocations", UriKind.Relative)));
                return document.RootElement.GetProperty("invocations").Clone();
            },
            list => list.EnumerateArray().Any(i => i.GetProperty("logs").GetArrayLength() >= 2),
            Patience,
            "an invocation with the handler's two lines");
        var invocation = invocations.EnumerateArray().First(i => i.GetProperty("logs").GetArrayLength() >= 2);
        var requestId = invocation.GetProperty("requestId").GetString()!;
        var lines = invocation.GetProperty("logs").EnumerateArray().Select(l => l.GetString()!).ToList();
        // aws-lambda-ric writes console.log as "timestamp<TAB>request id<TAB>INFO<TAB>message".
        Assert.Contains(lines, l => l.Split('\t') is [_, var id, "INFO", "plain text from console.log"] && id == requestId);
        Assert.Contains("a raw line with no request id", lines);
    }

    [Fact]
    public async Task The_node_sample_parks_a_reply_that_can_never_be_delivered_alone_and_holds_back_a_group_behind_one_that_may_pass()
    {
        // The sample's handler with AWS's SDK against a stand-in @connections that answers by connection id.
        var folder = Path.GetDirectoryName(await NodeFunction.SampleAsync())!;
        const string Script = """
            const http = require("http");
            const statusOf = { big: 413, forbidden: 403, throttled: 429, broken: 500 };
            const server = http.createServer((req, res) => {
              const id = decodeURIComponent(req.url.split("/@connections/")[1]);
              req.resume();
              req.on("end", () => { const status = statusOf[id] ?? 200; res.writeHead(status, { "content-type": "application/json" }); res.end(status === 200 ? "" : "{\"message\":\"no\"}"); });
            });
            server.listen(0, "127.0.0.1", async () => {
              process.env.WEBSOCKET_API_ENDPOINT = `http://127.0.0.1:${server.address().port}/local`;
              const { handler } = require("./index.js");
              const record = (id, connection, group) => ({ messageId: id, body: "b", attributes: { MessageGroupId: group },
                messageAttributes: { connectionId: { stringValue: connection }, requestId: { stringValue: "r" + id } } });
              const { batchItemFailures } = await handler({ Records: [
                record("1", "big", "a"), record("2", "ok", "a"),
                record("3", "forbidden", "b"), record("4", "ok", "b"),
                record("5", "throttled", "c"), record("6", "ok", "c"),
                record("7", "broken", "d"), record("8", "ok", "d"),
                record("9", "ok", "e") ] });
              process.stdout.write(JSON.stringify(batchItemFailures.map(f => f.itemIdentifier)) + "\n");
              server.close();
            });
            """;
        var start = new System.Diagnostics.ProcessStartInfo("node", ["-e", Script]) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in new Dictionary<string, string> { ["AWS_REGION"] = "us-east-1", ["AWS_ACCESS_KEY_ID"] = "AKIDLOCAL", ["AWS_SECRET_ACCESS_KEY"] = "local", ["AWS_MAX_ATTEMPTS"] = "1" })
        {
            start.Environment[name] = value;
        }

        using var node = System.Diagnostics.Process.Start(start)!;
        var stdout = node.StandardOutput.ReadToEndAsync();
        var stderr = node.StandardError.ReadToEndAsync();
        await node.WaitForExitAsync().WaitAsync(Patience);

        var failures = JsonSerializer.Deserialize<string[]>((await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "null");
        Assert.True(failures is not null, $"the handler printed no result: {await stdout}{await stderr}");
        // 413 and 403 alone; 429 and 500 hold back the rest of their group.
        Assert.Equal(["1", "3", "5", "6", "7", "8"], failures);
    }

    [GeneratedRegex("""^\{"connectionId":"[A-Za-z0-9+/=]{16,}","requestId":"[A-Za-z0-9+/=]{16,}","message":"\{\\"MessageGroupId\\":\\"test\\",\\"data\\":\\"hello world\\"\}"\}$""")]
    private static partial Regex SeedReply();

    [GeneratedRegex("^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=[01]$")]
    private static partial Regex TraceHeader();

    [GeneratedRegex(@"^[0-9]{4}/[0-9]{2}/[0-9]{2}/\[\$LATEST\][0-9a-f]{32}$")]
    private static partial Regex LogStream();
}
