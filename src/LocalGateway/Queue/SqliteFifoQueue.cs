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

    private readonly SqliteQueueOptions _options;
    private readonly TimeProvider _time;
    private readonly DataDirectoryLock _directoryLock;
    private readonly SqliteQueueStore _store;
    private readonly StoreWriter _writer;
    private readonly QueueSignal _signal = new();
    private readonly Lock _disposeLock = new();
    private bool _disposed;
    private long _emptyLooks;

    private SqliteFifoQueue(SqliteQueueOptions options, TimeProvider time, DataDirectoryLock directoryLock, SqliteQueueStore store)
    {
        _options = options;
        _time = time;
        _directoryLock = directoryLock;
        _store = store;
        _writer = new StoreWriter(store, Now, _signal.Pulse);
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
    /// Concurrent callers share transactions (<see cref="StoreWriter"/>): one commit, and one disk flush,
    /// acknowledges every send, delete and receive queued meanwhile. Not cancellable once queued: the send
    /// may already be part of the transaction being committed.
    /// </remarks>
    public async Task<SendResult> SendAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        QueueArguments.Validate(message);
        cancellationToken.ThrowIfCancellationRequested();
        return await _writer.Run(new SendOperation(message));
    }

    public async Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(
        int maxMessages, TimeSpan visibilityTimeout, TimeSpan waitTime, CancellationToken cancellationToken)
    {
        QueueArguments.ValidateReceive(maxMessages, visibilityTimeout, waitTime);

        var deadline = _time.GetUtcNow() + waitTime;
        using var waiter = _signal.Register();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();

            // Before looking, so a send between the look and the wait still wakes us.
            waiter.Look();
            var received = await _writer.Run(new ReceiveOperation(maxMessages, visibilityTimeout, _options.MaxReceiveCount, _options.SenderId));
            foreach (var (messageId, reason) in received.DeadLettered)
            {
                DeadLetterObserver?.DeadLettered(messageId, reason, Now());
            }

            if (received.Messages.Count == 0)
            {
                Interlocked.Increment(ref _emptyLooks);
            }

            var remaining = deadline - _time.GetUtcNow();
            if (received.Messages.Count > 0 || remaining <= TimeSpan.Zero)
            {
                return received.Messages;
            }

            await waiter.WaitAsync(remaining < _options.IdlePollInterval ? remaining : _options.IdlePollInterval, _time, cancellationToken);
        }
    }

    public async Task<bool> DeleteAsync(string receiptHandle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(receiptHandle);
        return (await DeleteBatchAsync([receiptHandle], cancellationToken))[0];
    }

    /// <remarks>One transaction, so one disk flush, for the whole batch (shared with whatever else is queued).</remarks>
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

        cancellationToken.ThrowIfCancellationRequested();
        // A deleted head may open its group to receives: the writer wakes them.
        var results = await _writer.Run(new DeleteOperation(known.ConvertAll(k => (k.Sequence, k.Handle))));
        for (var k = 0; k < known.Count; k++)
        {
            deleted[known[k].Index] = results[k];
        }

        return deleted;
    }

    /// <summary>
    /// Looks at the queue that found nothing to receive, counted per look: a long poll looks once when it starts and
    /// once each time it is woken or its idle poll interval passes. (SQS's <c>NumberOfEmptyReceives</c> counts
    /// receive calls instead.) Each idle long poll woken for a message another receive took adds one.
    /// </summary>
    internal long EmptyLooks => Interlocked.Read(ref _emptyLooks);

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
        ExclusiveAsync((store, now) => store.GetStats(now), cancellationToken);

    public Task<IReadOnlyList<DeadLetter>> ListDeadLettersAsync(int maxCount, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        return ExclusiveAsync((store, _) => store.ListDeadLetters(maxCount), cancellationToken);
    }

    public Task<IReadOnlyList<string>> RedriveDeadLettersAsync(string? messageId, CancellationToken cancellationToken) =>
        ExclusiveAsync((store, _) => store.RedriveDeadLetters(messageId), cancellationToken, wakes: moved => moved.Count > 0);

    public Task<bool> DeleteDeadLetterAsync(string messageId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messageId);
        return ExclusiveAsync((store, _) => store.DeleteDeadLetter(messageId), cancellationToken);
    }

    /// <summary>Finishes what callers already queued, then closes the database and unlocks the data directory.</summary>
    public void Dispose()
    {
        lock (_disposeLock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        _writer.Dispose();
        _store.Dispose();
        _directoryLock.Dispose();

        // Long polls wake up and find the queue closed instead of waiting out their time.
        _signal.Close();
    }

    private Task<T> ExclusiveAsync<T>(Func<SqliteQueueStore, long, T> work, CancellationToken cancellationToken, Func<T, bool>? wakes = null)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return _writer.Run(new ExclusiveOperation<T>(work, wakes));
    }

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();
}
