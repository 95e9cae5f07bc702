using System.Diagnostics;
using SocketRelay.LocalGateway.Queue;

namespace SocketRelay.LocalGateway.Tests.Queue;

public sealed class CrashRecoveryTests : IDisposable
{
    private const int AcknowledgementsBeforeKill = 200;
    private static readonly TimeSpan ChildTimeout = TimeSpan.FromSeconds(8);
    private readonly string _dataDirectory = QueueHarness.CreateTemporaryDirectory();

    [Fact]
    public async Task Every_acknowledged_send_survives_kill_9_and_the_dead_process_leases_are_released()
    {
        var (leased, acknowledged) = await RunWriterAndKillItAsync();

        using var queue = SqliteFifoQueue.Open(new SqliteQueueOptions { DataDirectory = _dataDirectory }, TimeProvider.System);
        var received = await ReceiveEverythingAsync(queue);

        Assert.Equal(QueueWriter.LeaseCount, leased.Count);
        Assert.True(acknowledged.Count >= AcknowledgementsBeforeKill);
        Assert.Empty(acknowledged.Except(received.Keys));
        Assert.All(leased, id => Assert.Equal(2, received[id].ApproximateReceiveCount));
        Assert.All(acknowledged, id => Assert.Equal(1, received[id].ApproximateReceiveCount));
    }

    public void Dispose() => Directory.Delete(_dataDirectory, recursive: true);

    private async Task<(List<string> Leased, List<string> Acknowledged)> RunWriterAndKillItAsync()
    {
        using var timeout = new CancellationTokenSource(ChildTimeout);
        using var writer = Process.Start(new ProcessStartInfo(DotnetHost(), [TestAssemblyPath(), QueueWriter.Command, _dataDirectory, "1000000"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var leased = new List<string>();
        var acknowledged = new List<string>();
        try
        {
            while (acknowledged.Count < AcknowledgementsBeforeKill)
            {
                var line = await writer.StandardOutput.ReadLineAsync(timeout.Token)
                    ?? throw new InvalidOperationException($"The queue writer exited early: {await writer.StandardError.ReadToEndAsync(timeout.Token)}");
                Collect(line, leased, acknowledged);
            }

            Assert.False(writer.HasExited);
        }
        finally
        {
            writer.Kill();
        }

        // Sends acknowledged between the last line read and the kill are still in the pipe.
        var rest = await writer.StandardOutput.ReadToEndAsync(timeout.Token);
        foreach (var line in rest.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            Collect(line, leased, acknowledged);
        }

        await writer.WaitForExitAsync(timeout.Token);
        return (leased, acknowledged);
    }

    private static void Collect(string line, List<string> leased, List<string> acknowledged)
    {
        // The kill can cut the last line short; only whole lines (a GUID after the prefix) count.
        if (line.StartsWith(QueueWriter.LeasedLine, StringComparison.Ordinal) && Guid.TryParse(line[QueueWriter.LeasedLine.Length..], out _))
        {
            leased.Add(line[QueueWriter.LeasedLine.Length..]);
        }
        else if (line.StartsWith(QueueWriter.AcknowledgedLine, StringComparison.Ordinal) && Guid.TryParse(line[QueueWriter.AcknowledgedLine.Length..], out _))
        {
            acknowledged.Add(line[QueueWriter.AcknowledgedLine.Length..]);
        }
    }

    private static async Task<Dictionary<string, ReceivedMessage>> ReceiveEverythingAsync(SqliteFifoQueue queue)
    {
        var received = new Dictionary<string, ReceivedMessage>();
        while (true)
        {
            var batch = await queue.ReceiveAsync(SqliteFifoQueue.MaxMessagesPerReceive, TimeSpan.FromMinutes(5), TimeSpan.Zero, CancellationToken.None);
            if (batch.Count == 0)
            {
                return received;
            }

            foreach (var message in batch)
            {
                received.Add(message.MessageId, message);
            }
        }
    }

    private static string TestAssemblyPath() => typeof(QueueWriter).Assembly.Location;

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
}
