namespace SocketRelay.LocalGateway.Queue;

/// <summary>
/// Wakes long polls when the queue may have something to deliver, one poll per pulse: the writer pulses after a
/// commit that left a message group open (a send, a delete of a group's head, a redrive, or a receive that did not
/// take everything), so each message wakes the one poll that receives it, and a burst wakes polls one after
/// another for as long as each leaves more behind (ADR-043).
/// </summary>
/// <remarks>
/// <para>
/// Every receive <see cref="Register">registers</see> before its first look and calls <see cref="Waiter.Look"/>
/// before each look, so a pulse that lands between a look and the wait is never missed: the wait then returns at
/// once. One poll woken and not yet looking covers every later pulse (its look follows all of them), so a pulse
/// finds another poll only when none is. A poll that leaves holding a pulse it did not look after (it returned
/// with what an earlier look found, timed out or was cancelled) passes the pulse on.
/// </para>
/// <para>
/// Waking every idle poll for each message instead cost one wake-up, one empty receive through the writer and one
/// new wait per idle poll per message: below capacity, where most of the eight pollers are idle, about 7 % of the
/// gateway's CPU per message at 1,000 msg/s and 15 % at 200 msg/s (bench/README.md, "Fourteenth look").
/// </para>
/// </remarks>
internal sealed class QueueSignal
{
    private readonly Lock _lock = new();
    private readonly LinkedList<Waiter> _waiters = new();
    private int _woken;
    private bool _closed;

    /// <summary>Registers a receive before its first look; dispose it when the receive returns.</summary>
    public Waiter Register()
    {
        var waiter = new Waiter(this);
        lock (_lock)
        {
            waiter.Node = _waiters.AddLast(waiter);
            if (_closed)
            {
                waiter.State = WaiterState.Woken;
                _woken++;
            }
        }

        return waiter;
    }

    /// <summary>
    /// Wakes one registered receive, the longest waiting (or, when none waits, one that is looking, which then
    /// looks again), unless one is already woken and has not looked since.
    /// </summary>
    public void Pulse()
    {
        TaskCompletionSource? wake;
        lock (_lock)
        {
            if (_woken > 0 || _waiters.Count == 0)
            {
                return;
            }

            var chosen = First(WaiterState.Waiting) ?? First(WaiterState.Looking)!;
            wake = chosen.WakeUnderLock();
        }

        wake?.TrySetResult();
    }

    /// <summary>Wakes every registered receive and every later one at once: the queue is closing.</summary>
    public void Close()
    {
        var wake = new List<TaskCompletionSource>();
        lock (_lock)
        {
            _closed = true;
            foreach (var waiter in _waiters)
            {
                if (waiter.State != WaiterState.Woken && waiter.WakeUnderLock() is { } source)
                {
                    wake.Add(source);
                }
            }
        }

        wake.ForEach(source => source.TrySetResult());
    }

    private Waiter? First(WaiterState state)
    {
        for (var node = _waiters.First; node is not null; node = node.Next)
        {
            if (node.Value.State == state)
            {
                return node.Value;
            }
        }

        return null;
    }

    internal enum WaiterState
    {
        Looking,
        Waiting,
        Woken,
    }

    /// <summary>One receive's place among the long polls: look, wait, look again, leave.</summary>
    internal sealed class Waiter(QueueSignal signal) : IDisposable
    {
        private TaskCompletionSource? _wait;

        internal LinkedListNode<Waiter>? Node { get; set; }

        internal WaiterState State { get; set; } = WaiterState.Looking;

        /// <summary>Called before each look: the look that follows covers every pulse so far.</summary>
        public void Look()
        {
            lock (signal._lock)
            {
                if (State == WaiterState.Woken)
                {
                    signal._woken--;
                }

                State = WaiterState.Looking;
                _wait = null;
            }
        }

        /// <summary>
        /// Waits for a pulse after a look that found nothing, at most <paramref name="timeout"/>; returns at once
        /// when a pulse came during the look.
        /// </summary>
        /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
        public async Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
        {
            Task pulse;
            lock (signal._lock)
            {
                if (State == WaiterState.Woken || signal._closed)
                {
                    return;
                }

                State = WaiterState.Waiting;
                _wait = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                pulse = _wait.Task;
            }

            using var stopWaiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var timer = Task.Delay(timeout, time, stopWaiting.Token);
            await Task.WhenAny(pulse, timer);
            await stopWaiting.CancelAsync();
            cancellationToken.ThrowIfCancellationRequested();
        }

        /// <summary>Leaves the long polls; a pulse this receive did not look after goes to another.</summary>
        public void Dispose()
        {
            bool passOn;
            lock (signal._lock)
            {
                if (Node is null)
                {
                    return;
                }

                signal._waiters.Remove(Node);
                Node = null;
                passOn = State == WaiterState.Woken;
                if (passOn)
                {
                    signal._woken--;
                }
            }

            if (passOn)
            {
                signal.Pulse();
            }
        }

        /// <summary>Marks this receive woken (the signal's lock held); returns the wait to complete outside the lock.</summary>
        internal TaskCompletionSource? WakeUnderLock()
        {
            State = WaiterState.Woken;
            signal._woken++;
            var wait = _wait;
            _wait = null;
            return wait;
        }
    }
}
