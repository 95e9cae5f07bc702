namespace SocketRelay.LocalGateway.Tests;

public sealed class SingleConsumerQueueTests
{
    [Fact]
    public async Task Every_item_an_add_accepted_is_taken_once_in_each_producers_order_even_when_adding_ends_mid_flight()
    {
        const int Producers = 4;
        const int AcceptedBeforeTheEnd = 20_000;
        using var queue = new SingleConsumerQueue<(int Producer, int Index)>();
        var accepted = new int[Producers];
        var taken = new List<(int Producer, int Index)>();
        var consumer = new Thread(() =>
        {
            while (queue.TryTake(out var item, Timeout.Infinite))
            {
                taken.Add(item);
            }
        });
        consumer.Start();

        var start = new Barrier(Producers + 1);
        var producers = Enumerable.Range(0, Producers).Select(p => Task.Run(() =>
        {
            start.SignalAndWait();
            // Adds until one is refused: adding ends while every producer is still adding.
            for (var i = 0; queue.TryAdd((p, i)); i++)
            {
                Volatile.Write(ref accepted[p], i + 1);
            }
        })).ToArray();

        start.SignalAndWait();
        // The adds that won must all come out; the rest are refused.
        while (Enumerable.Range(0, Producers).Sum(p => Volatile.Read(ref accepted[p])) < AcceptedBeforeTheEnd)
        {
            Thread.Yield();
        }

        queue.CompleteAdding();
        await Task.WhenAll(producers).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(consumer.Join(TimeSpan.FromSeconds(60)), "the consumer did not see the queue end");

        Assert.Equal(accepted.Sum(), taken.Count);
        for (var p = 0; p < Producers; p++)
        {
            Assert.Equal(Enumerable.Range(0, accepted[p]), taken.Where(t => t.Producer == p).Select(t => t.Index));
        }

        Assert.False(queue.TryAdd((0, -1)));
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public async Task A_waiting_consumer_wakes_for_each_item_added_one_at_a_time_and_when_adding_ends()
    {
        using var queue = new SingleConsumerQueue<int>();
        using var took = new SemaphoreSlim(0);
        var taken = new List<int>();
        var consumer = new Thread(() =>
        {
            while (queue.TryTake(out var item, Timeout.Infinite))
            {
                taken.Add(item);
                took.Release();
            }
        });
        consumer.Start();

        // Each add finds the consumer parked (or about to park): a lost wake-up would leave an item waiting forever.
        for (var i = 0; i < 2_000; i++)
        {
            Assert.True(queue.TryAdd(i));
            Assert.True(await took.WaitAsync(TimeSpan.FromSeconds(30)), $"item {i} was added but not taken");
        }

        queue.CompleteAdding();
        Assert.True(consumer.Join(TimeSpan.FromSeconds(30)), "the consumer did not see the queue end");
        Assert.Equal(Enumerable.Range(0, 2_000), taken);
    }

    [Fact]
    public void A_full_bounded_queue_refuses_adds_until_the_consumer_takes_and_a_take_without_waiting_returns_at_once()
    {
        using var queue = new SingleConsumerQueue<string>(capacity: 2);
        Assert.False(queue.TryTake(out _));

        Assert.True(queue.TryAdd("a"));
        Assert.True(queue.TryAdd("b"));
        Assert.False(queue.TryAdd("c"));
        Assert.Equal(2, queue.Count);

        Assert.True(queue.TryTake(out var first));
        Assert.Equal("a", first);
        Assert.True(queue.TryAdd("d"));

        queue.CompleteAdding();
        Assert.True(queue.IsAddingCompleted);
        Assert.True(queue.TryTake(out var second, Timeout.Infinite));
        Assert.True(queue.TryTake(out var third, Timeout.Infinite));
        Assert.Equal(["b", "d"], new[] { second, third });
        Assert.False(queue.TryTake(out _, Timeout.Infinite));
    }

    [Fact]
    public void Capacities_below_one_and_timeouts_other_than_none_or_infinite_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SingleConsumerQueue<int>(capacity: 0));
        using var queue = new SingleConsumerQueue<int>();
        Assert.Throws<ArgumentOutOfRangeException>(() => queue.TryTake(out _, 100));
    }
}
