using Microsoft.Extensions.Time.Testing;
using SocketRelay.LocalGateway.Queue;

namespace SocketRelay.LocalGateway.Tests.Queue;

/// <summary>A queue on a real SQLite file in a fresh temporary directory, with a clock the test moves.</summary>
internal sealed class QueueHarness : IDisposable
{
    public static readonly TimeSpan Visibility = TimeSpan.FromSeconds(30);

    public QueueHarness(int maxReceiveCount = 5)
    {
        Options = new SqliteQueueOptions
        {
            DataDirectory = CreateTemporaryDirectory(),
            MaxReceiveCount = maxReceiveCount,
        };
        Queue = SqliteFifoQueue.Open(Options, Time);
    }

    public SqliteQueueOptions Options { get; }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public SqliteFifoQueue Queue { get; private set; }

    public static string CreateTemporaryDirectory()
    {
        var path = Path.Combine(Path.GetTempPath(), "socketrelay-queue-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }

    public void Reopen()
    {
        Queue.Dispose();
        Queue = SqliteFifoQueue.Open(Options, Time);
    }

    public Task<SendResult> SendAsync(string body, string group = "group", string? deduplicationId = null) =>
        Queue.SendAsync(
            new OutgoingMessage(body, group, deduplicationId ?? Guid.NewGuid().ToString(), new Dictionary<string, string>()),
            CancellationToken.None);

    public Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(int maxMessages = 10, TimeSpan? visibility = null) =>
        Queue.ReceiveAsync(maxMessages, visibility ?? Visibility, TimeSpan.Zero, CancellationToken.None);

    public Task<bool> DeleteAsync(ReceivedMessage message) => Queue.DeleteAsync(message.ReceiptHandle, CancellationToken.None);

    public Task<QueueStats> StatsAsync() => Queue.GetStatsAsync(CancellationToken.None);

    public void Dispose()
    {
        Queue.Dispose();
        Directory.Delete(Options.DataDirectory, recursive: true);
    }
}
