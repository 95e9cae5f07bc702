using SocketRelay.LocalGateway.Queue;

namespace SocketRelay.LocalGateway.Tests.Queue;

public sealed class StatsTests : IDisposable
{
    private readonly QueueHarness _harness = new(maxReceiveCount: 1);

    [Fact]
    public async Task Stats_count_accepted_completed_waiting_in_flight_and_dead_lettered_messages()
    {
        await _harness.SendAsync("in flight", group: "b");
        Assert.Single(await _harness.ReceiveAsync(visibility: TimeSpan.FromHours(1)));
        await _harness.SendAsync("done", group: "a");
        await _harness.SendAsync("poison", group: "c");
        await _harness.SendAsync("duplicate", group: "d", deduplicationId: "same");
        await _harness.SendAsync("duplicate", group: "d", deduplicationId: "same");
        await _harness.SendAsync("waiting", group: "a");

        var received = await _harness.ReceiveAsync(maxMessages: 3);
        Assert.Equal(["done", "poison", "duplicate"], received.Select(m => m.Body));
        await _harness.DeleteAsync(received[0]);
        _harness.Time.Advance(QueueHarness.Visibility);

        // Takes "waiting", dead-letters "poison" and "duplicate" (each received once already).
        var next = await _harness.ReceiveAsync(maxMessages: 10);
        Assert.Equal("waiting", Assert.Single(next).Body);
        _harness.Time.Advance(QueueHarness.Visibility);

        Assert.Equal(new QueueStats(Accepted: 5, Completed: 1, QueueDepth: 1, InFlight: 1, DeadLetterQueueDepth: 2), await _harness.StatsAsync());
    }

    [Fact]
    public async Task Counters_survive_a_reopen_and_balance_once_the_queue_is_drained()
    {
        for (var i = 0; i < 4; i++)
        {
            await _harness.SendAsync($"m{i}", group: $"g{i}");
        }

        var received = await _harness.ReceiveAsync();
        await _harness.DeleteAsync(received[0]);
        await _harness.DeleteAsync(received[1]);
        _harness.Reopen();

        Assert.Equal(new QueueStats(Accepted: 4, Completed: 2, QueueDepth: 2, InFlight: 0, DeadLetterQueueDepth: 0), await _harness.StatsAsync());

        // maxReceiveCount is 1: the two released messages were received once, so they are dead letters now.
        Assert.Empty(await _harness.ReceiveAsync());
        var drained = await _harness.StatsAsync();
        Assert.Equal(drained.Accepted, drained.Completed + drained.DeadLetterQueueDepth);
        Assert.Equal(0, drained.QueueDepth + drained.InFlight);
    }

    [Fact]
    public async Task Reopening_releases_the_leases_of_the_previous_process_and_voids_its_receipt_handles()
    {
        using var harness = new QueueHarness();
        await harness.SendAsync("first");
        await harness.SendAsync("second");
        var leased = Assert.Single(await harness.ReceiveAsync(maxMessages: 1, visibility: TimeSpan.FromHours(12)));

        harness.Reopen();
        Assert.Equal(0, (await harness.StatsAsync()).InFlight);
        Assert.False(await harness.DeleteAsync(leased));
        var again = await harness.ReceiveAsync();

        Assert.Equal(["first", "second"], again.Select(m => m.Body));
        Assert.Equal(2, again[0].ApproximateReceiveCount);
    }

    public void Dispose() => _harness.Dispose();
}
