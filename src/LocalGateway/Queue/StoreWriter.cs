using System.Diagnostics;

namespace SocketRelay.LocalGateway.Queue;

/// <summary>
/// The one thread that uses the queue's store (SQLite has a single writer; the in-memory index is not thread
/// safe). Callers queue operations and await them; the thread takes what has queued, in order, and runs
/// consecutive <see cref="StoreOperation.Joins">joining</see> operations (sends, receives, deletes of any
/// caller) in one transaction, so one commit, and one disk flush, answers all of them: group commit. A batch
/// of receives alone commits without the flush (<see cref="SqliteQueueStore.ReceiveInTransaction"/> says why).
/// Every operation completes only after its transaction committed, and its continuation runs on the thread
/// pool, never on this thread. When a transaction fails, it is rolled back and every operation in it fails
/// with the error: none of them took effect.
/// </summary>
/// <remarks>
/// The store's calls block (SQLite, fsync), so they run here rather than on thread-pool threads, which the
/// pipeline's sockets and HTTP need.
/// </remarks>
internal sealed class StoreWriter : IDisposable
{
    // Bounds how long one transaction holds the writer and how much one failure takes down.
    internal const int MaxOperationsPerTransaction = 256;

    // A writer that committed this recently is busy: it yields before gathering its next batch (see Run).
    private static readonly TimeSpan BusyWithin = TimeSpan.FromMilliseconds(2);

    private readonly SqliteQueueStore _store;
    private readonly Func<long> _now;
    private readonly Action _wakeReceivers;
    private readonly SingleConsumerQueue<StoreOperation> _operations = new();
    private readonly Thread _thread;
    private readonly List<StoreOperation> _batch = new(MaxOperationsPerTransaction);
    private long _transactions;
    private long _lastCommitTimestamp;
    private int _disposed;

    /// <param name="now">The time operations run at, in Unix milliseconds (the queue's <see cref="TimeProvider"/>).</param>
    /// <param name="wakeReceivers">
    /// Called once after a commit that may have left a message for another receive (<see cref="StoreOperation.WakesReceivers"/>)
    /// when a message group is open then: it wakes one long poll (<see cref="QueueSignal"/>).
    /// </param>
    public StoreWriter(SqliteQueueStore store, Func<long> now, Action wakeReceivers)
    {
        _store = store;
        _now = now;
        _wakeReceivers = wakeReceivers;
        _thread = new Thread(Run) { IsBackground = true, Name = "SocketRelay queue writer" };
        _thread.Start();
    }

    /// <summary>The shared transactions committed so far: fewer than the operations they answered when callers overlap.</summary>
    public long CommittedTransactions => Interlocked.Read(ref _transactions);

    /// <summary>Queues <paramref name="operation"/>; its task completes once it ran (and, if it wrote, committed).</summary>
    /// <exception cref="ObjectDisposedException">The queue is closed.</exception>
    public Task<T> Run<T>(StoreOperation<T> operation)
    {
        ObjectDisposedException.ThrowIf(!_operations.TryAdd(operation), typeof(SqliteFifoQueue));

        return operation.Task;
    }

    /// <summary>Runs what is already queued, then stops the thread.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _operations.CompleteAdding();
        _thread.Join();
        _operations.Dispose();
    }

    private void Run()
    {
        StoreOperation? next = null;
        while (next is not null || _operations.TryTake(out next, Timeout.Infinite))
        {
            var first = next;
            next = null;
            if (!first.Joins)
            {
                RunAlone(first);
                continue;
            }

            if (Stopwatch.GetElapsedTime(_lastCommitTimestamp) < BusyWithin)
            {
                // Busy: give the core to the callers that are ready to run before gathering, so their
                // operations join this commit instead of waking the writer again for the next one. On a
                // machine whose few cores the callers share, this is the difference between the writer
                // taking an operation the moment it is queued and taking it with its neighbours (ADR-028).
                Thread.Yield();
            }

            _batch.Add(first);
            while (_batch.Count < MaxOperationsPerTransaction && _operations.TryTake(out var more))
            {
                if (!more.Joins)
                {
                    next = more;
                    break;
                }

                _batch.Add(more);
            }

            RunTogether(_batch);
            _batch.Clear();
            _lastCommitTimestamp = Stopwatch.GetTimestamp();
        }
    }

    private void RunAlone(StoreOperation operation)
    {
        try
        {
            operation.Execute(_store, _now());
        }
#pragma warning disable CA1031 // The caller gets the error; the writer must outlive it.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            operation.Fail(ex);
            return;
        }

        WakeReceiversAfter(operation.WakesReceivers);
        operation.Complete();
    }

    private void RunTogether(List<StoreOperation> batch)
    {
        var now = _now();
        try
        {
            if (batch.TrueForAll(operation => !operation.NeedsTransaction(_store, now)))
            {
                // Receives with no open group: nothing to read or write.
                batch.ForEach(operation => operation.Execute(_store, now));
            }
            else
            {
                _store.InTransaction(durable: batch.Exists(operation => operation.Durable), () =>
                {
                    batch.ForEach(operation => operation.Execute(_store, now));
                    return true;
                });
                Interlocked.Increment(ref _transactions);
            }
        }
#pragma warning disable CA1031 // Rolled back: every caller gets the error; the writer must outlive it.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            batch.ForEach(operation => operation.Fail(ex));
            return;
        }

        WakeReceiversAfter(batch.Exists(operation => operation.WakesReceivers));
        batch.ForEach(operation => operation.Complete());
    }

    // Before the operations complete, so a receive that left more behind has the next poll woken while its own
    // caller goes on with what it took.
    private void WakeReceiversAfter(bool mayHaveLeftMessages)
    {
        if (mayHaveLeftMessages && _store.HasOpenGroup(_now()))
        {
            _wakeReceivers();
        }
    }
}

/// <summary>One call on the store, run by the <see cref="StoreWriter"/>.</summary>
internal abstract class StoreOperation
{
    /// <summary>Whether it shares a transaction with its neighbours; otherwise it runs alone and opens its own transactions, if any.</summary>
    public abstract bool Joins { get; }

    /// <summary>Whether its transaction must be flushed to disk before it completes.</summary>
    public virtual bool Durable => true;

    /// <summary>Whether it needs a transaction at all at <paramref name="now"/>.</summary>
    public virtual bool NeedsTransaction(SqliteQueueStore store, long now) => true;

    /// <summary>
    /// Whether, once committed, it may have left a message for another receive: a new message, a deleted head, a
    /// redrive, or a receive that took messages and may not have taken all there are. The writer then wakes a long
    /// poll if a message group is open.
    /// </summary>
    public virtual bool WakesReceivers => false;

    /// <summary>Does the work; for a joining operation, inside the shared transaction.</summary>
    public abstract void Execute(SqliteQueueStore store, long now);

    /// <summary>Completes the caller's task with the result: called after the commit.</summary>
    public abstract void Complete();

    /// <summary>Fails the caller's task: the work did not take effect.</summary>
    public abstract void Fail(Exception error);
}

/// <summary>A <see cref="StoreOperation"/> whose caller awaits a <typeparamref name="T"/>.</summary>
internal abstract class StoreOperation<T> : StoreOperation
{
    private readonly TaskCompletionSource<T> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private T? _value;

    public Task<T> Task => _result.Task;

    /// <summary>What <see cref="Execute"/> returned.</summary>
    protected T? Value => _value;

    public sealed override void Execute(SqliteQueueStore store, long now) => _value = Run(store, now);

    public sealed override void Complete() => _result.TrySetResult(_value!);

    public sealed override void Fail(Exception error) => _result.TrySetException(error);

    protected abstract T Run(SqliteQueueStore store, long now);
}

/// <summary>Stores one message; durable when its task completes.</summary>
internal sealed class SendOperation(OutgoingMessage message) : StoreOperation<SendResult>
{
    public override bool Joins => true;

    public override bool WakesReceivers => Value is { IsDuplicate: false };

    protected override SendResult Run(SqliteQueueStore store, long now) => store.SendInTransaction(message, now);
}

/// <summary>One receive of up to <paramref name="maxMessages"/>, leased for <paramref name="visibilityTimeout"/>.</summary>
internal sealed class ReceiveOperation(int maxMessages, TimeSpan visibilityTimeout, int maxReceiveCount, string senderId) : StoreOperation<ReceiveResult>
{
    public override bool Joins => true;

    public override bool Durable => false;

    public override bool WakesReceivers => Value is { Messages.Count: > 0 };

    public override bool NeedsTransaction(SqliteQueueStore store, long now) => store.HasOpenGroup(now);

    protected override ReceiveResult Run(SqliteQueueStore store, long now) =>
        store.ReceiveInTransaction(maxMessages, now, now + (long)visibilityTimeout.TotalMilliseconds, maxReceiveCount, senderId);
}

/// <summary>Deletes received messages by (sequence, receipt handle); durable when its task completes.</summary>
internal sealed class DeleteOperation(IReadOnlyList<(long Sequence, string ReceiptHandle)> messages) : StoreOperation<IReadOnlyList<bool>>
{
    public override bool Joins => true;

    public override bool WakesReceivers => Value is { } deleted && deleted.Contains(true);

    protected override IReadOnlyList<bool> Run(SqliteQueueStore store, long now) => store.DeleteManyInTransaction(messages);
}

/// <summary>
/// Anything else (stats, dead-letter listing, redrive): runs alone, between batches; <paramref name="wakes"/>
/// says from its result whether it made a message deliverable.
/// </summary>
internal sealed class ExclusiveOperation<T>(Func<SqliteQueueStore, long, T> work, Func<T, bool>? wakes = null) : StoreOperation<T>
{
    public override bool Joins => false;

    public override bool WakesReceivers => wakes is not null && wakes(Value!);

    protected override T Run(SqliteQueueStore store, long now) => work(store, now);
}
