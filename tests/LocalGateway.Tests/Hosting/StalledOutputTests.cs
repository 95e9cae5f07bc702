using System.Text.Json;
using SocketRelay.LocalGateway.Tests.Reliability;
using SocketRelay.TestSupport;

namespace SocketRelay.LocalGateway.Tests.Hosting;

/// <summary>The gateway executable with its standard output not read, as under a paused pager or a stuck pipe (ADR-034).</summary>
public sealed class StalledOutputTests : IDisposable
{
    private const int Clients = 5;
    private const int MessagesPerClient = 100;
    private const string BodyPrefix = "Message body: ";
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "socketrelay-stalled-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dataDir))
        {
            Directory.Delete(_dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task Messages_are_answered_while_nobody_reads_the_output_and_their_log_lines_arrive_once_it_is_read_again()
    {
        // At Debug the function writes about 1.5 KB of log lines per message: far more than a pipe holds.
        using var gateway = await GatewayProcess.StartAsync(_dataDir, "--function-env", "POWERTOOLS_LOG_LEVEL=Debug");
        var linesBeforePause = gateway.OutputLines.Count;
        gateway.PauseReadingOutput();

        var clients = new List<LedgerClient>();
        try
        {
            for (var c = 0; c < Clients; c++)
            {
                clients.Add(await LedgerClient.ConnectAsync(gateway.WebSocketUrl, $"stalled-{c}"));
            }

            await Task.WhenAll(clients.Select(async client =>
            {
                for (var seq = 0; seq < MessagesPerClient; seq++)
                {
                    await client.SendAsync(seq);
                }
            }));

            // A function that waits for the terminal stops answering once the pipe is full, a few dozen messages in.
            var answered = await WaitAsync(() => clients.Sum(c => c.UniqueReplies) == Clients * MessagesPerClient, TimeSpan.FromSeconds(60));
            Assert.True(answered, $"{clients.Sum(c => c.UniqueReplies)} of {Clients * MessagesPerClient} answered while the output was not read");
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }

            gateway.ResumeReadingOutput();
        }

        // Every message's own log line arrives once the output is read again: queued, not dropped.
        var logged = new HashSet<(string Group, int Seq)>();
        await WaitAsync(() => LoggedBodies(gateway.OutputLines.Skip(linesBeforePause), logged) == Clients * MessagesPerClient, TimeSpan.FromSeconds(30));
        Assert.Equal(Clients * MessagesPerClient, logged.Count);
        var bytesWhilePaused = gateway.OutputLines.Skip(linesBeforePause).Sum(l => l.Length + 1);
        Assert.True(bytesWhilePaused > 256 * 1024, $"only {bytesWhilePaused} bytes were written: too few to fill a pipe, so this proves nothing");
        Assert.DoesNotContain(gateway.OutputLines, l => l.Contains("dropped", StringComparison.Ordinal));
    }

    private static int LoggedBodies(IEnumerable<string> lines, HashSet<(string Group, int Seq)> logged)
    {
        logged.Clear();
        foreach (var line in lines.Where(l => l.StartsWith('{')))
        {
            using var entry = JsonDocument.Parse(line);
            if (entry.RootElement.TryGetProperty("message", out var message)
                && message.GetString() is { } text && text.StartsWith(BodyPrefix, StringComparison.Ordinal))
            {
                using var body = JsonDocument.Parse(text[BodyPrefix.Length..]);
                logged.Add((body.RootElement.GetProperty("MessageGroupId").GetString()!, body.RootElement.GetProperty("seq").GetInt32()));
            }
        }

        return logged.Count;
    }

    private static async Task<bool> WaitAsync(Func<bool> condition, TimeSpan longest)
    {
        var until = DateTime.UtcNow + longest;
        while (!condition())
        {
            if (DateTime.UtcNow > until)
            {
                return false;
            }

            await Task.Delay(50);
        }

        return true;
    }
}
