using SocketRelay.LocalGateway.Queue;

namespace SocketRelay.LocalGateway.Tests.Queue;

/// <summary>How long polls are woken: one per pulse, and no pulse lost between a look and a wait or at a poll's exit.</summary>
public sealed class QueueSignalTests
{
    // A wait's own timeout, far beyond Within: a wait that returns within Within was woken, not timed out.
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(200);
    private readonly QueueSignal _signal = new();

    [Fact]
    public async Task A_pulse_wakes_the_longest_waiting_poll_only()
    {
        using var first = _signal.Register();
        using var second = _signal.Register();
        var firstWait = LookThenWait(first);
        var secondWait = LookThenWait(second);

        _signal.Pulse();

        await firstWait.WaitAsync(Within);
        await Task.Delay(Settle);
        Assert.False(secondWait.IsCompleted);
    }

    [Fact]
    public async Task Pulses_before_the_woken_poll_looks_again_wake_no_other()
    {
        using var first = _signal.Register();
        using var second = _signal.Register();
        var firstWait = LookThenWait(first);
        var secondWait = LookThenWait(second);

        _signal.Pulse();
        _signal.Pulse();
        await firstWait.WaitAsync(Within);
        await Task.Delay(Settle);
        Assert.False(secondWait.IsCompleted);

        // Once it has looked, the next pulse is one it has not seen: the other poll gets it.
        first.Look();
        _signal.Pulse();
        await secondWait.WaitAsync(Within);
    }

    [Fact]
    public async Task A_pulse_during_a_look_ends_the_wait_after_it_at_once()
    {
        using var poll = _signal.Register();
        poll.Look();

        _signal.Pulse();

        await poll.WaitAsync(Long, TimeProvider.System, CancellationToken.None).WaitAsync(Settle);
    }

    [Fact]
    public async Task A_poll_that_leaves_with_a_pulse_it_did_not_look_after_passes_it_on()
    {
        using var leaving = _signal.Register();
        leaving.Look();
        _signal.Pulse();
        using var staying = _signal.Register();
        var stayingWait = LookThenWait(staying);
        await Task.Delay(Settle);
        Assert.False(stayingWait.IsCompleted);

        leaving.Dispose();

        await stayingWait.WaitAsync(Within);
    }

    [Fact]
    public async Task A_poll_that_looked_after_its_pulse_leaves_without_waking_another()
    {
        using var leaving = _signal.Register();
        leaving.Look();
        _signal.Pulse();
        leaving.Look();
        using var staying = _signal.Register();
        var stayingWait = LookThenWait(staying);

        leaving.Dispose();

        await Task.Delay(Settle);
        Assert.False(stayingWait.IsCompleted);
    }

    [Fact]
    public async Task Closing_wakes_every_poll_and_every_later_wait_returns_at_once()
    {
        using var first = _signal.Register();
        using var second = _signal.Register();
        var waits = new[] { LookThenWait(first), LookThenWait(second) };

        _signal.Close();

        await Task.WhenAll(waits).WaitAsync(Within);
        using var late = _signal.Register();
        await LookThenWait(late).WaitAsync(Within);
    }

    private static Task LookThenWait(QueueSignal.Waiter waiter)
    {
        waiter.Look();
        return waiter.WaitAsync(Long, TimeProvider.System, CancellationToken.None);
    }
}
