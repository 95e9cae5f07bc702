using SocketRelay.LocalGateway.Queue;

namespace SocketRelay.LocalGateway.Tests.Queue;

/// <summary>Concurrent sends share transactions; each must still behave as if sent alone.</summary>
public sealed class ConcurrentSendTests : IDisposable
{
    private const int Senders = 200;
    private readonly QueueHarness _harness = new();

    [Fact]
    public async Task Concurrent_sends_are_each_accepted_once_with_their_own_id_and_sequence_number()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, Senders)
            .Select(i => Task.Run(() => _harness.SendAsync($"m{i}", group: $"g{i}"))));

        Assert.Equal(Senders, results.Select(r => r.MessageId).Distinct().Count());
        Assert.Equal(Senders, results.Select(r => r.SequenceNumber).Distinct().Count());
        Assert.Equal(Senders, (await _harness.StatsAsync()).QueueDepth);
    }

    [Fact]
    public async Task Concurrent_sends_with_one_deduplication_id_enqueue_one_message()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, Senders)
            .Select(i => Task.Run(() => _harness.SendAsync($"attempt {i}", deduplicationId: "same"))));

        Assert.Single(results, r => !r.IsDuplicate);
        Assert.Single(results.Select(r => r.MessageId).Distinct());
        Assert.Equal(1, (await _harness.StatsAsync()).Accepted);
    }

    [Fact]
    public async Task A_send_after_the_queue_is_disposed_fails_instead_of_hanging()
    {
        _harness.Queue.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => _harness.SendAsync("late"));
    }

    public void Dispose() => _harness.Dispose();
}
