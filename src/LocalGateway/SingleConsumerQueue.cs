using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace SocketRelay.LocalGateway;

/// <summary>
/// A first-in, first-out queue that any thread adds to and one dedicated thread takes from, blocking when it is
/// empty without spinning first: the role of <see cref="BlockingCollection{T}"/> for the gateway's own threads
/// (the queue's writer, the output writer).
/// </summary>
/// <remarks>
/// <see cref="BlockingCollection{T}"/> waits on a <see cref="SemaphoreSlim"/>, which spins up to 140 rounds
/// before it blocks, most of them <c>sched_yield</c> calls. A consumer that keeps up empties its queue after
/// nearly every item, so it pays that spin per item: at 1,000 msg/s on a 2-core VM, where a system call costs
/// far more than its work, the two writers' spins were ≈ 13 % of the gateway's CPU samples (bench/README.md,
/// "Twelfth look"; ADR-036). Here the consumer parks on a <see cref="ManualResetEventSlim"/> whose spin count
/// is 0, and an add wakes it only by setting that event. Adding never blocks: a full bounded queue refuses the
/// item instead (<see cref="TryAdd"/>).
/// </remarks>
/// <typeparam name="T">The item type.</typeparam>
internal sealed class SingleConsumerQueue<T> : IDisposable
{
    private readonly ConcurrentQueue<T> _items = new();
    private readonly ManualResetEventSlim _itemsAdded = new(initialState: false, spinCount: 0);
    private readonly Lock _addLock = new();
    private readonly int _capacity;
    private int _count;
    private volatile bool _addingCompleted;

    /// <param name="capacity">Items that may wait before <see cref="TryAdd"/> refuses more; unbounded when omitted.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is less than 1.</exception>
    public SingleConsumerQueue(int capacity = int.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
    }

    /// <summary>Items added and not yet taken.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Whether <see cref="CompleteAdding"/> was called: every later add is refused.</summary>
    public bool IsAddingCompleted => _addingCompleted;

    /// <summary>Adds <paramref name="item"/> unless the queue is full or adding was completed; never blocks.</summary>
    /// <returns>Whether the item was added.</returns>
    public bool TryAdd(T item)
    {
        lock (_addLock)
        {
            // Under the lock, so that CompleteAdding cannot end the queue between this check and the enqueue.
            if (_addingCompleted || _count >= _capacity)
            {
                return false;
            }

            // Counted before it is enqueued, so that the consumer, which takes and then uncounts, never reads a count below zero.
            Interlocked.Increment(ref _count);
            _items.Enqueue(item);

            // Inside the lock too: once CompleteAdding has returned, no add still touches the event, so Dispose may follow it.
            _itemsAdded.Set();
        }

        return true;
    }

    /// <summary>
    /// Takes the oldest item. With <paramref name="millisecondsTimeout"/> 0 it does not wait; with
    /// <see cref="Timeout.Infinite"/> it waits until an item is added or adding is completed.
    /// Only one thread may take.
    /// </summary>
    /// <returns>False when there was no item within the timeout, or the queue is empty and adding was completed.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="millisecondsTimeout"/> is neither 0 nor <see cref="Timeout.Infinite"/>.</exception>
    public bool TryTake([MaybeNullWhen(false)] out T item, int millisecondsTimeout = 0)
    {
        if (millisecondsTimeout is not (0 or Timeout.Infinite))
        {
            throw new ArgumentOutOfRangeException(nameof(millisecondsTimeout), millisecondsTimeout, "0 (do not wait) or Timeout.Infinite");
        }

        while (true)
        {
            // Read before the dequeue: once adding is completed, every add has enqueued, so an empty queue stays empty.
            var completed = _addingCompleted;
            if (TryDequeue(out item))
            {
                return true;
            }

            if (completed || millisecondsTimeout == 0)
            {
                return false;
            }

            // An add that lands after the reset sets the event again; one that landed before it is found here.
            _itemsAdded.Reset();
            if (TryDequeue(out item))
            {
                return true;
            }

            if (_addingCompleted)
            {
                continue;
            }

            _itemsAdded.Wait();
        }
    }

    /// <summary>Refuses every later add and wakes the consumer, which takes what is queued and then finds the queue ended.</summary>
    public void CompleteAdding()
    {
        lock (_addLock)
        {
            _addingCompleted = true;
        }

        _itemsAdded.Set();
    }

    /// <summary>Call after <see cref="CompleteAdding"/>, once the consumer has stopped taking.</summary>
    public void Dispose() => _itemsAdded.Dispose();

    private bool TryDequeue([MaybeNullWhen(false)] out T item)
    {
        if (!_items.TryDequeue(out item))
        {
            return false;
        }

        Interlocked.Decrement(ref _count);
        return true;
    }
}
