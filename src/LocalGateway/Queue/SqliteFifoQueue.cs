using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace SocketRelay.LocalGateway.Queue;

/// <summary>
/// The local gateway's queue: <see cref="IFifoQueue"/> on a SQLite file (WAL) under
/// <see cref="SqliteQueueOptions.DataDirectory"/>. A send returns only once its transaction is
/// committed, so an accepted message survives the process being killed.
/// </summary>
/// <remarks>
/// Opening the queue releases every lease a previous process held: messages it had received but
/// not deleted become visible at once, keeping their receive counts, because that process is gone
/// and nobody would ever delete them. Only one process can open a data directory at a time.
/// </remarks>
[SuppressMessage("Naming", "CA1711", Justification = "It is a queue: the name says what it emulates.")]
public sealed class SqliteFifoQueue : IFifoQueue, IDisposable
{
    public static readonly TimeSpan DeduplicationWindow = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan MaxVisibilityTimeout = TimeSpan.FromHours(12);
    public static readonly TimeSpan MaxWaitTime = TimeSpan.FromSeconds(20);
    public const int MaxMessagesPerReceive = 10;
    public const int MaxIdLength = 128;

    // Expired deduplication ids are harmless (lookups ignore them); sweeping them now and then
    // keeps the table at about five minutes of traffic without a delete on every send.
    private const int SendsBetweenDeduplicationSweeps = 1024;

    // Bounds how long one transaction holds the writer (and how much one failure takes down).
    private const int MaxSendsPerTransaction = 256;

    private readonly SqliteQueueOptions _options;
    private readonly TimeProvider _time;
    private readonly DataDirectoryLock _directoryLock;
    private readonly SqliteQueueStore _store;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly QueueSignal _signal = new();
    private readonly ConcurrentQueue<PendingSend> _pendingSends = new();
    private int _sendsSinceSweep;
    private bool _disposed;

    private SqliteFifoQueue(SqliteQueueOptions options, TimeProvider time, DataDirectoryLock directoryLock, SqliteQueueStore store)
    {
        _options = options;
        _time = time;
        _directoryLock = directoryLock;
        _store = store;
    }

    /// <summary>
    /// Opens (or creates) the queue in <see cref="SqliteQueueOptions.DataDirectory"/> and releases the
    /// leases of the process that used it before.
    /// </summary>
    /// <exception cref="QueueStoreException">Another process has the directory open, or the database is unreadable.</exception>
    public static SqliteFifoQueue Open(SqliteQueueOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        options.Validate();
        Directory.CreateDirectory(options.DataDirectory);
        var directoryLock = DataDirectoryLock.Acquire(options.DatabasePath);
        SqliteQueueStore? store = null;
        try
        {
            store = new SqliteQueueStore(SqliteQueueSchema.Open(options));
            store.ReleaseLeases();
            store.ForgetExpiredDeduplicationIds(timeProvider.GetUtcNow().ToUnixTimeMilliseconds());
            return new SqliteFifoQueue(options, timeProvider, directoryLock, store);
        }
        catch
        {
            store?.Dispose();
            directoryLock.Dispose();
            throw;
        }
    }

    /// <remarks>
    /// Concurrent sends share transactions: whoever holds the writer commits every send queued so
    /// far, so one disk flush acknowledges many messages instead of one.
    /// </remarks>
    public async Task<SendResult> SendAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        QueueArguments.Validate(message);
        cancellationToken.ThrowIfCancellationRequested();
        var pending = new PendingSend(message);
        _pendingSends.Enqueue(pending);

        // Not cancellable from here on: the send may already be part of another caller's transaction.
        await _gate.WaitAsync(CancellationToken.None);
        try
        {
            while (!pending.Result.Task.IsCompleted)
            {
                CommitPendingSends();
            }
        }
        finally
        {
            _gate.Release();
        }

        return await pending.Result.Task;
    }

    public async Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(
        int maxMessages, TimeSpan visibilityTimeout, TimeSpan waitTime, CancellationToken cancellationToken)
    {
        QueueArguments.ValidateReceive(maxMessages, visibilityTimeout, waitTime);

        var deadline = _time.GetUtcNow() + waitTime;
        while (true)
        {
            // Taken before looking, so a send between the look and the wait still wakes us.
            var pulse = _signal.NextPulse;
            var received = await LockedAsync(() =>
            {
                var now = Now();
                var visibleAt = now + (long)visibilityTimeout.TotalMilliseconds;
                var messages = _store.Receive(maxMessages, now, visibleAt, _options.MaxReceiveCount, _options.SenderId);
                foreach (var (messageId, reason) in _store.LastDeadLettered)
                {
                    DeadLetterObserver?.DeadLettered(messageId, reason, now);
                }

                return messages;
            }, cancellationToken);

            var remaining = deadline - _time.GetUtcNow();
            if (received.Count > 0 || remaining <= TimeSpan.Zero)
            {
                return received;
            }

            await WaitForPulseAsync(pulse, remaining < _options.IdlePollInterval ? remaining : _options.IdlePollInterval, cancellationToken);
        }
    }

    public async Task<bool> DeleteAsync(string receiptHandle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(receiptHandle);
        if (!ReceiptHandle.TryGetSequence(receiptHandle, out var sequence))
        {
            return false;
        }

        var deleted = await LockedAsync(() => _store.Delete(sequence, receiptHandle), cancellationToken);
        if (deleted)
        {
            // The message's group may have been waiting on it.
            _signal.Pulse();
        }

        return deleted;
    }

    /// <remarks>One transaction, so one disk flush, for the whole batch instead of one per message.</remarks>
    public async Task<IReadOnlyList<bool>> DeleteBatchAsync(IReadOnlyList<string> receiptHandles, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(receiptHandles);
        var deleted = new bool[receiptHandles.Count];
        var known = new List<(int Index, long Sequence, string Handle)>(receiptHandles.Count);
        for (var i = 0; i < receiptHandles.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(receiptHandles[i]);
            if (ReceiptHandle.TryGetSequence(receiptHandles[i], out var sequence))
            {
                known.Add((i, sequence, receiptHandles[i]));
            }
        }

        if (known.Count == 0)
        {
            return deleted;
        }

        var results = await LockedAsync(() => _store.DeleteMany(known.ConvertAll(k => (k.Sequence, k.Handle))), cancellationToken);
        for (var k = 0; k < known.Count; k++)
        {
            deleted[known[k].Index] = results[k];
        }

        if (results.Any(d => d))
        {
            _signal.Pulse();
        }

        return deleted;
    }

    /// <summary>
    /// Told of every message the queue moves to the dead-letter queue, and asked for the message's
    /// last failure to record in its reason. Set once, before the queue is used.
    /// </summary>
    public IDeadLetterObserver? DeadLetterObserver
    {
        get;
        set
        {
            field = value;
            _store.LastFailure = value is null ? null : value.LastFailure;
        }
    }

    public Task<QueueStats> GetStatsAsync(CancellationToken cancellationToken) =>
        LockedAsync(() => _store.GetStats(Now()), cancellationToken);

    public Task<IReadOnlyList<DeadLetter>> ListDeadLettersAsync(int maxCount, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        return LockedAsync(() => _store.ListDeadLetters(maxCount), cancellationToken);
    }

    public async Task<IReadOnlyList<string>> RedriveDeadLettersAsync(string? messageId, CancellationToken cancellationToken)
    {
        var moved = await LockedAsync(() => _store.RedriveDeadLetters(messageId), cancellationToken);
        if (moved.Count > 0)
        {
            _signal.Pulse();
        }

        return moved;
    }

    public Task<bool> DeleteDeadLetterAsync(string messageId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messageId);
        return LockedAsync(() => _store.DeleteDeadLetter(messageId), cancellationToken);
    }

    public void Dispose()
    {
        _gate.Wait();
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _store.Dispose();
            _directoryLock.Dispose();
        }
        finally
        {
            _gate.Release();
        }

        // Long polls wake up and find the queue closed instead of waiting out their time.
        _signal.Pulse();
    }

    private async Task<T> LockedAsync<T>(Func<T> operation, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return operation();
        }
        finally
        {
            _gate.Release();
        }
    }

    private void CommitPendingSends()
    {
        var batch = new List<PendingSend>();
        while (batch.Count < MaxSendsPerTransaction && _pendingSends.TryDequeue(out var next))
        {
            batch.Add(next);
        }

        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var now = Now();
            _sendsSinceSweep += batch.Count;
            if (_sendsSinceSweep >= SendsBetweenDeduplicationSweeps)
            {
                _sendsSinceSweep = 0;
                _store.ForgetExpiredDeduplicationIds(now);
            }

            var results = _store.Send(batch.ConvertAll(pending => pending.Message), now);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Result.SetResult(results[i]);
            }

            if (results.Any(result => !result.IsDuplicate))
            {
                _signal.Pulse();
            }
        }
        catch (Exception ex)
        {
            // The transaction rolled back: none of these messages was accepted.
            foreach (var pending in batch)
            {
                pending.Result.TrySetException(ex);
            }
        }
    }

    private async Task WaitForPulseAsync(Task pulse, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var stopWaiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var timer = Task.Delay(timeout, _time, stopWaiting.Token);
        await Task.WhenAny(pulse, timer);
        await stopWaiting.CancelAsync();
        cancellationToken.ThrowIfCancellationRequested();
    }

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private sealed class PendingSend(OutgoingMessage message)
    {
        public OutgoingMessage Message { get; } = message;

        public TaskCompletionSource<SendResult> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
