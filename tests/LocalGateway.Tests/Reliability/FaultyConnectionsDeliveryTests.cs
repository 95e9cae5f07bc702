using Xunit.Abstractions;

namespace SocketRelay.LocalGateway.Tests.Reliability;

/// <summary>
/// The whole pipeline while the <c>@connections</c> API fails and answers late on purpose: every
/// message still reaches its client, in order per group, and what was delivered is not delivered
/// again unless a reply's answer came too late for the function to see it.
/// </summary>
public sealed class FaultyConnectionsDeliveryTests(ITestOutputHelper output)
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task With_a_quarter_of_posts_failing_30_clients_get_all_50_replies_once_each_in_order()
    {
        await using var gateway = await ReliabilityGateway.StartAsync(
            options =>
            {
                options.FaultRate = 0.25;
                options.FaultStatus = "429,500,503";
                options.FaultLatencyMs = 20;
                options.FaultSeed = 1729;
            },
            ReliabilityGateway.FastRetries);

        var reports = await RunAsync(gateway, clients: 30, messagesPerClient: 50);

        Assert.All(reports, report =>
        {
            Assert.Empty(report.Missing);
            Assert.True(report.InOrder, "replies arrived out of order");
        });
        // Injected faults never deliver and a 20 ms delay never outlasts the 3 s attempt time-out,
        // so the function saw every delivery succeed: a redelivery here would be a duplicate it caused.
        Assert.Equal(0, reports.Sum(r => r.Duplicates));
        var counters = await gateway.Status.ReadAsync();
        Assert.Equal((1500, 1500, 0), (counters.Accepted, counters.Completed, counters.DlqDepth));
        Assert.Contains("Reply not delivered", gateway.FunctionLogs.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replies_answered_after_the_attempt_timeout_are_delivered_again_and_counted_as_duplicates_in_order()
    {
        var environment = new Dictionary<string, string>(ReliabilityGateway.FastRetries, StringComparer.Ordinal)
        {
            ["SOCKETRELAY_RETRY_ATTEMPT_TIMEOUT_MS"] = "150",
        };
        await using var gateway = await ReliabilityGateway.StartAsync(
            options =>
            {
                options.FaultLatencyMs = 200;
                options.FaultSeed = 42;
            },
            environment);

        var reports = await RunAsync(gateway, clients: 6, messagesPerClient: 20);

        Assert.All(reports, report =>
        {
            Assert.Empty(report.Missing);
            Assert.True(report.InOrder, "first arrivals were out of order");
            // Each post the function abandoned had already reached the client; it never posts one
            // reply more often than its attempts per receive times the receives before the DLQ.
            Assert.InRange(report.MostCopiesOfOneReply, 1, (8 + 1) * 5);
        });
        Assert.True(reports.Sum(r => r.Duplicates) > 0, "a reply answered after the attempt timeout should have been posted again");
    }

    /// <summary>
    /// Clients in pairs share a named group (the first 20), the rest use their connection as the
    /// group; each sends its messages, then the test waits until the queue has drained.
    /// </summary>
    private async Task<LedgerReport[]> RunAsync(ReliabilityGateway gateway, int clients, int messagesPerClient)
    {
        var ledgers = new List<LedgerClient>();
        try
        {
            for (var c = 0; c < clients; c++)
            {
                ledgers.Add(await LedgerClient.ConnectAsync(gateway.Host.WebSocketUrl, c < 20 ? $"pair-{c / 2}" : null));
            }

            await Task.WhenAll(ledgers.Select(async ledger =>
            {
                for (var seq = 0; seq < messagesPerClient; seq++)
                {
                    await ledger.SendAsync(seq);
                }
            }));

            var total = clients * messagesPerClient;
            await gateway.Status.WaitUntilDrainedAsync(total, DrainTimeout);
            await WaitForRepliesAsync(ledgers, messagesPerClient);
            LedgerReport[] reports = [.. ledgers.Select(l => l.Report(messagesPerClient))];
            output.WriteLine($"{total} sent, {reports.Sum(r => messagesPerClient - r.Missing.Count)} delivered, " +
                $"{reports.Sum(r => r.Duplicates)} duplicates (most copies of one reply: {reports.Max(r => r.MostCopiesOfOneReply)})");
            return reports;
        }
        finally
        {
            foreach (var ledger in ledgers)
            {
                await ledger.DisposeAsync();
            }
        }
    }

    /// <summary>A reply reaches the client a moment before its message is deleted; give stragglers that moment.</summary>
    private static async Task WaitForRepliesAsync(List<LedgerClient> ledgers, int expected)
    {
        var until = DateTime.UtcNow.AddSeconds(5);
        while (ledgers.Any(l => l.UniqueReplies < expected) && DateTime.UtcNow < until)
        {
            await Task.Delay(50);
        }

        await Task.Delay(200);
    }
}
