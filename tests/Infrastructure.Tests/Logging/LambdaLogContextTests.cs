using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace SocketRelay.Infrastructure.Tests.Logging;

public class LambdaLogContextTests
{
    private const string FunctionArn = "arn:aws:lambda:eu-west-1:123456789012:function:socket-relay-dev-relay";

    [Fact]
    public void Cold_start_is_true_on_the_first_invocation_only()
    {
        using var logs = new CapturedLambdaLogs();
        var logger = logs.Logger<LambdaLogContextTests>();

        logs.Context.BeginInvocation("req-1", FunctionArn, null);
        logger.Note(LogLevel.Information, "first");
        logs.Context.EndInvocation();
        logs.Context.BeginInvocation("req-2", FunctionArn, null);
        logger.Note(LogLevel.Information, "second");
        logs.Context.BeginInvocation("req-3", FunctionArn, null);
        logger.Note(LogLevel.Information, "third");

        Assert.Equal(
            [JsonValueKind.True, JsonValueKind.False, JsonValueKind.False],
            logs.Lines().Select(line => line.GetProperty("cold_start").ValueKind));
    }

    [Fact]
    public void Request_id_arn_and_trace_id_follow_the_current_invocation()
    {
        using var logs = new CapturedLambdaLogs();
        var logger = logs.Logger<LambdaLogContextTests>();

        logs.Context.BeginInvocation("req-1", FunctionArn, "Root=1-aaaaaaaa-111111111111111111111111;Parent=53995c3f42cd8ad8;Sampled=1");
        logger.Note(LogLevel.Information, "first");
        logs.Context.BeginInvocation("req-2", FunctionArn + ":live", "Root=1-bbbbbbbb-222222222222222222222222");
        logger.Note(LogLevel.Information, "second");

        var first = logs.Line("Note: first");
        var second = logs.Line("Note: second");
        Assert.Equal("req-1", first.GetProperty("function_request_id").GetString());
        Assert.Equal("1-aaaaaaaa-111111111111111111111111", first.GetProperty("xray_trace_id").GetString());
        Assert.Equal(FunctionArn, first.GetProperty("function_arn").GetString());
        Assert.Equal("req-2", second.GetProperty("function_request_id").GetString());
        Assert.Equal("1-bbbbbbbb-222222222222222222222222", second.GetProperty("xray_trace_id").GetString());
        Assert.Equal(FunctionArn + ":live", second.GetProperty("function_arn").GetString());
    }

    [Fact]
    public void Outside_an_invocation_the_invocation_keys_are_left_out_and_cold_start_kept()
    {
        using var logs = new CapturedLambdaLogs();
        var logger = logs.Logger<LambdaLogContextTests>();

        logger.Note(LogLevel.Information, "during init");
        logs.Context.BeginInvocation("req-1", FunctionArn, null);
        logger.Note(LogLevel.Information, "untraced invocation");
        logs.Context.EndInvocation();
        logger.Note(LogLevel.Information, "between invocations");

        var init = logs.Line("Note: during init");
        Assert.Equal(JsonValueKind.True, init.GetProperty("cold_start").ValueKind);
        Assert.Equal("socket-relay-dev-relay", init.GetProperty("function_name").GetString());
        AssertAbsent(init, "function_request_id", "function_arn", "xray_trace_id");
        AssertAbsent(logs.Line("Note: untraced invocation"), "xray_trace_id");
        var between = logs.Line("Note: between invocations");
        Assert.Equal(JsonValueKind.False, between.GetProperty("cold_start").ValueKind);
        AssertAbsent(between, "function_request_id", "function_arn", "xray_trace_id");
    }

    [Fact]
    public void Function_facts_missing_from_the_environment_are_left_out_rather_than_null()
    {
        using var logs = new CapturedLambdaLogs(new Dictionary<string, string> { ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = "lots" });

        logs.Logger<LambdaLogContextTests>().Note(LogLevel.Information, "local run");

        var line = Assert.Single(logs.Lines());
        AssertAbsent(line, "function_name", "function_version", "function_memory_size", "function_request_id");
        Assert.Equal(JsonValueKind.True, line.GetProperty("cold_start").ValueKind);
    }

    [Fact]
    public async Task Lines_written_from_other_threads_never_mix_the_facts_of_two_invocations()
    {
        using var logs = new CapturedLambdaLogs();
        var logger = logs.Logger<LambdaLogContextTests>();
        logs.Context.BeginInvocation("req-0", FunctionArn, "Root=trace-0");
        using var stop = new CancellationTokenSource();
        var written = 0;
        var writer = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                logger.Note(LogLevel.Information, "from a worker");
                Interlocked.Increment(ref written);
            }
        });

        for (var i = 1; i <= 200; i++)
        {
            var before = Volatile.Read(ref written);
            SpinWait.SpinUntil(() => Volatile.Read(ref written) > before, TimeSpan.FromSeconds(5));
            logs.Context.BeginInvocation($"req-{i}", FunctionArn, $"Root=trace-{i}");
        }

        stop.Cancel();
        await writer.WaitAsync(TimeSpan.FromSeconds(10));

        var lines = logs.Lines();
        Assert.True(lines.Count >= 200);
        Assert.All(lines, line => Assert.Equal(
            line.GetProperty("function_request_id").GetString()!["req-".Length..],
            line.GetProperty("xray_trace_id").GetString()!["trace-".Length..]));
    }

    private static void AssertAbsent(JsonElement line, params string[] keys)
    {
        foreach (var key in keys)
        {
            Assert.False(line.TryGetProperty(key, out _), $"'{key}' should be left out");
        }
    }
}
