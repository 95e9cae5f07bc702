using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using SocketRelay.LocalGateway.Queue;

namespace SocketRelay.LocalGateway.Tests.Queue.Model;

/// <summary>
/// The SQLite queue driven by the same operations as <see cref="SqsFifoModel"/>, writing the same log:
/// messages are named by their bodies, receipt handles by the order they were issued.
/// </summary>
internal sealed class QueueUnderTest : IQueueObservations, IDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly SqliteQueueOptions _options;
    private readonly ConcurrentDictionary<string, string> _bodiesById = new(StringComparer.Ordinal);
    private readonly List<string> _handles = [];
    private readonly object _logLock = new();
    private int _sends;

    public QueueUnderTest(int maxReceiveCount)
    {
        _options = new SqliteQueueOptions
        {
            DataDirectory = CreateDataDirectory(),
            MaxReceiveCount = maxReceiveCount,
        };
        Queue = SqliteFifoQueue.Open(_options, Time);
    }

    public FakeTimeProvider Time { get; } = new(Start);

    public SqliteFifoQueue Queue { get; private set; }

    public List<string> Log { get; } = [];

    public int HandleCount => _handles.Count;

    /// <summary>The handle issued <paramref name="back"/> handles before the latest (0 = the latest; -1 when there is none).</summary>
    public int RecentHandle(int back) => _handles.Count - 1 - back;

    public void Send(string group, string deduplicationId) => Send($"m{Interlocked.Increment(ref _sends) - 1}", group, deduplicationId, nameOriginal: true);

    /// <summary>A send with the caller's body; the log says whether it was a duplicate, not of which message.</summary>
    public void Send(string body, string group, string deduplicationId) => Send(body, group, deduplicationId, nameOriginal: false);

    private void Send(string body, string group, string deduplicationId, bool nameOriginal)
    {
        var result = Queue.SendAsync(new OutgoingMessage(body, group, deduplicationId, new Dictionary<string, string>()), CancellationToken.None)
            .GetAwaiter().GetResult();
        if (!result.IsDuplicate)
        {
            _bodiesById[result.MessageId] = body;
        }

        Record(!result.IsDuplicate
            ? $"send {body} {group}/{deduplicationId}: new"
            : nameOriginal
                ? $"send {body} {group}/{deduplicationId}: duplicate of {_bodiesById.GetValueOrDefault(result.MessageId, "?")}"
                : $"send {body} {group}/{deduplicationId}: duplicate");
    }

    public void Receive(int maxMessages, long visibilityMs)
    {
        var received = Queue.ReceiveAsync(maxMessages, TimeSpan.FromMilliseconds(visibilityMs), TimeSpan.Zero, CancellationToken.None)
            .GetAwaiter().GetResult();
        lock (_logLock)
        {
            _handles.AddRange(received.Select(m => m.ReceiptHandle));
        }

        Record($"receive {maxMessages}: [{string.Join(", ", received.Select(m => $"{m.Body}#{m.ApproximateReceiveCount}"))}]");
    }

    public void Delete(int handle) =>
        Record($"delete h{handle}: {Queue.DeleteAsync(HandleAt(handle), CancellationToken.None).GetAwaiter().GetResult()}");

    public void DeleteBatch(IReadOnlyList<int> handles)
    {
        var deleted = Queue.DeleteBatchAsync([.. handles.Select(HandleAt)], CancellationToken.None).GetAwaiter().GetResult();
        Record($"delete batch [{string.Join(", ", handles.Select(h => $"h{h}"))}]: [{string.Join(", ", deleted)}]");
    }

    public void Advance(long milliseconds) => Time.Advance(TimeSpan.FromMilliseconds(milliseconds));

    public void Restart()
    {
        Queue.Dispose();
        Queue = SqliteFifoQueue.Open(_options, Time);
    }

    public QueueSnapshot Snapshot()
    {
        var stats = Queue.GetStatsAsync(CancellationToken.None).GetAwaiter().GetResult();
        var deadLetters = QueueHarness.ReadDeadLetters(_options.DatabasePath);
        return new QueueSnapshot(
            stats.Accepted,
            stats.Completed,
            stats.QueueDepth,
            stats.InFlight,
            string.Join(", ", deadLetters.Select(d => $"{d.Body}#{d.ReceiveCount}")));
    }

    public override string ToString() => string.Join('\n', Log) + "\n" + Snapshot();

    public void Dispose()
    {
        Queue.Dispose();
        Directory.Delete(_options.DataDirectory, recursive: true);
    }

    /// <summary>
    /// In memory where the OS offers it (Linux's /dev/shm): these tests are about semantics, and each
    /// sample opens a fresh queue, so a disk flush per send would only make them slow.
    /// </summary>
    private static string CreateDataDirectory()
    {
        if (!Directory.Exists("/dev/shm"))
        {
            return QueueHarness.CreateTemporaryDirectory();
        }

        var path = Path.Combine("/dev/shm", "socketrelay-model-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>A handle the queue issued, or one it never did when none was issued yet.</summary>
    private string HandleAt(int index)
    {
        lock (_logLock)
        {
            return index >= 0 && index < _handles.Count ? _handles[index] : "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        }
    }

    private void Record(string entry)
    {
        lock (_logLock)
        {
            Log.Add(entry);
        }
    }
}
