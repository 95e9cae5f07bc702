using SocketRelay.Lambda.Tests.Support;
using SocketRelay.TestSupport;

namespace SocketRelay.Lambda.Tests;

/// <summary>The published Native AOT bootstrap prints the Embedded Metric Format lines of its invocations on stdout.</summary>
public class AotMetricsTests(AotFunctionFixture fixture) : IClassFixture<AotFunctionFixture>
{
    [Fact]
    public async Task The_first_invocation_prints_ColdStart_and_the_line_of_a_mixed_batch_with_exactly_its_outcomes()
    {
        var connections = fixture.Connections;
        connections.Answer("emf-gone", 410);
        connections.Answer("emf-broken", 500);
        var batch = new SqsEventBuilder()
            .Message("a1", "A", "emf-ok", "{}")
            .Message("b1", "B", "emf-broken", "{}")
            .Message("a2", "A", "emf-gone", "{}")
            .Message("c1", "C", connectionId: null, "{}")
            .Message("b2", "B", "emf-later", "{}")
            .Message("a3", "A", "emf-ok", "{}")
            .Message("c2", "C", "emf-ok", "{}")
            .Build();

        var result = await fixture.Runtime.InvokeAsync(batch, TimeSpan.FromSeconds(30));

        Assert.Equal(["b1", "c1", "b2"], SqsEventBuilder.FailedIds(result));
        var lines = await EmfLinesAsync(count: 2);
        var coldStart = lines[0];
        Assert.Equal(1, coldStart.GetProperty("ColdStart").GetDouble());
        Assert.Equal("socketrelay", coldStart.GetProperty("function_name").GetString());
        var invocation = lines[1];
        Assert.Equal("SocketRelay", invocation.GetProperty("_aws").GetProperty("CloudWatchMetrics")[0].GetProperty("Namespace").GetString());
        Assert.Equal("socketrelay-test", invocation.GetProperty("service").GetString());
        // 3 delivered (a1, a3, c2), a2 gone, c1 parked alone, b1 failed after 4 retries and held b2 back.
        Assert.Equal(
            "BatchItemFailures=3 ConnectionsGone=1 MessagesParked=1 NotificationRetries=4 RepliesDelivered=3",
            EmbeddedMetricsTests.Counts(invocation));
        Assert.True(invocation.GetProperty("BatchDuration").GetDouble() > 0);
    }

    private async Task<List<System.Text.Json.JsonElement>> EmfLinesAsync(int count)
    {
        var lines = await Eventually.ValueAsync(
            () => fixture.Function.StandardOutput.Where(l => l.Contains("\"_aws\"", StringComparison.Ordinal)).ToList() is { } emf && emf.Count >= count ? emf : null,
            TimeSpan.FromSeconds(10),
            $"{count} EMF lines on stdout");
        return [.. lines.Select(EmfSpecification.AssertValid)];
    }
}
