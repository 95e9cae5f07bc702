using SocketRelay.TestSupport;

namespace SocketRelay.LocalGateway.Tests.Reliability;

public sealed class FunctionLogSchemaTests
{
    [Fact]
    public async Task Every_function_log_line_at_Trace_uses_snake_case_keys_with_one_key_per_fact()
    {
        await using var gateway = await ReliabilityGateway.StartAsync(
            options =>
            {
                options.FaultRate = 0.3;
                options.FaultSeed = 7;
            },
            new Dictionary<string, string>(ReliabilityGateway.FastRetries, StringComparer.Ordinal) { ["POWERTOOLS_LOG_LEVEL"] = "Trace" });
        await using var client = await LedgerClient.ConnectAsync(gateway.Host.WebSocketUrl, "schema");
        for (var seq = 0; seq < 6; seq++)
        {
            await client.SendAsync(seq);
        }

        await gateway.Status.WaitUntilDrainedAsync(6, TimeSpan.FromSeconds(60));

        var lines = PowertoolsLogSchema.AssertLines(gateway.FunctionLogs.ToString());
        var attempts = lines.Where(line => line.GetProperty("message").GetString()!.StartsWith("@connections POST to ", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(attempts);
        Assert.All(attempts, line =>
        {
            Assert.True(line.TryGetProperty("connection_id", out _), line.GetRawText());
            Assert.True(line.TryGetProperty("status_code", out _), line.GetRawText());
            Assert.True(line.TryGetProperty("outcome", out _), line.GetRawText());
        });
        Assert.Contains(lines, line => line.GetProperty("message").GetString()!.StartsWith("Reply not delivered", StringComparison.Ordinal));
    }
}
