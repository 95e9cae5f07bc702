namespace SocketRelay.LocalGateway.Queue;

/// <summary>
/// Wakes long polls when the queue may have something to deliver. A waiter takes
/// <see cref="NextPulse"/> before looking at the queue, so a pulse between its look and its
/// wait is never missed.
/// </summary>
internal sealed class QueueSignal
{
    private TaskCompletionSource _next = NewSource();

    public Task NextPulse => Volatile.Read(ref _next).Task;

    public void Pulse() => Interlocked.Exchange(ref _next, NewSource()).TrySetResult();

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
