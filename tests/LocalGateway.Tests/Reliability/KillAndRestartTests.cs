using SocketRelay.TestSupport;

namespace SocketRelay.LocalGateway.Tests.Reliability;

/// <summary>The gateway process killed with SIGKILL under load and restarted on the same data directory.</summary>
public sealed class KillAndRestartTests : IDisposable
{
    private const int Clients = 10;
    private const int MessagesPerClient = 100;
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "socketrelay-kill-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_dataDir, recursive: true);

    [Fact]
    public async Task After_kill_9_mid_load_and_a_restart_every_accepted_message_is_completed_or_dead_lettered()
    {
        GatewayCounters atKill;
        var delivered = 0;
        using (var first = await GatewayProcess.StartAsync(_dataDir, "--fault-latency-ms", "100", "--fault-seed", "7"))
        {
            var clients = await ConnectAsync(first.WebSocketUrl);
            var sending = Task.WhenAll(clients.Select(SendAllAsync));
            using var status = new GatewayStatusProbe(first.HttpUrl);
            // Replies answer 0–100 ms late, so a backlog builds up while the clients send.
            atKill = await status.WaitForAsync(c => c.Accepted >= 300 && c.Completed > 0, TimeSpan.FromSeconds(30));
            first.KillHard();

            await Record.ExceptionAsync(() => sending);
            foreach (var client in clients)
            {
                delivered += client.UniqueReplies;
                await client.DisposeAsync();
            }
        }

        Assert.True(atKill.Accepted > atKill.Completed, $"the kill should have left work behind: {atKill}");
        using var second = await GatewayProcess.StartAsync(_dataDir);
        using var restarted = new GatewayStatusProbe(second.HttpUrl);

        // The dead clients' messages are answered 410 Gone: completed, not lost.
        var drained = await restarted.WaitUntilDrainedAsync(atKill.Accepted, TimeSpan.FromSeconds(40));

        Assert.True(drained.Accepted >= atKill.Accepted, $"accepted messages vanished: {atKill} then {drained}");
        Assert.True(drained.Completed >= delivered, $"{delivered} replies were delivered but only {drained.Completed} completed");
        Assert.Equal(drained.Accepted, drained.Completed + drained.DlqDepth);
        Assert.Equal(0, drained.DlqDepth);
        await AssertServesNewClientsAsync(second);
    }

    private static async Task<List<LedgerClient>> ConnectAsync(Uri webSocketUrl)
    {
        var clients = new List<LedgerClient>();
        for (var c = 0; c < Clients; c++)
        {
            clients.Add(await LedgerClient.ConnectAsync(webSocketUrl, c % 2 == 0 ? $"kill-{c}" : null));
        }

        return clients;
    }

    private static async Task SendAllAsync(LedgerClient client)
    {
        for (var seq = 0; seq < MessagesPerClient; seq++)
        {
            await client.SendAsync(seq);
        }
    }

    private static async Task AssertServesNewClientsAsync(GatewayProcess gateway)
    {
        await using var client = await LedgerClient.ConnectAsync(gateway.WebSocketUrl, "after-restart");
        for (var seq = 0; seq < 10; seq++)
        {
            await client.SendAsync(seq);
        }

        var until = DateTime.UtcNow.AddSeconds(15);
        while (client.UniqueReplies < 10 && DateTime.UtcNow < until)
        {
            await Task.Delay(50);
        }

        var report = client.Report(10);
        Assert.Empty(report.Missing);
        Assert.True(report.InOrder);
    }
}
