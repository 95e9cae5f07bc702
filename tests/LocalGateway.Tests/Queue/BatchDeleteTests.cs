using SocketRelay.LocalGateway.Queue;

namespace SocketRelay.LocalGateway.Tests.Queue;

public sealed class BatchDeleteTests : IDisposable
{
    private readonly QueueHarness _harness = new();

    [Fact]
    public async Task A_batch_delete_removes_every_message_it_names_and_reports_each_handle_like_a_single_delete()
    {
        for (var i = 0; i < 4; i++)
        {
            await _harness.SendAsync($"m{i}", group: $"g{i}");
        }

        var received = await _harness.ReceiveAsync(maxMessages: 2, visibility: QueueHarness.Visibility * 10);
        var expiring = await _harness.ReceiveAsync(maxMessages: 2);
        _harness.Time.Advance(QueueHarness.Visibility);
        var again = await _harness.ReceiveAsync();
        var stale = expiring[1].ReceiptHandle;

        var deleted = await _harness.Queue.DeleteBatchAsync(
            [received[0].ReceiptHandle, received[1].ReceiptHandle, "not-a-handle", stale, received[0].ReceiptHandle],
            CancellationToken.None);

        Assert.Equal([true, true, false, false, false], deleted);
        Assert.Equal(new QueueStats(Accepted: 4, Completed: 2, QueueDepth: 0, InFlight: 2, DeadLetterQueueDepth: 0), await _harness.StatsAsync());
        Assert.Equal(["m2", "m3"], again.Select(m => m.Body));
    }

    [Fact]
    public async Task A_batch_delete_unlocks_the_groups_it_completes()
    {
        await _harness.SendAsync("first", group: "g");
        await _harness.SendAsync("second", group: "g");
        var first = Assert.Single(await _harness.ReceiveAsync(maxMessages: 1));
        Assert.Empty(await _harness.ReceiveAsync());

        await _harness.Queue.DeleteBatchAsync([first.ReceiptHandle], CancellationToken.None);

        Assert.Equal("second", Assert.Single(await _harness.ReceiveAsync()).Body);
    }

    [Fact]
    public async Task The_interface_default_deletes_one_by_one()
    {
        await _harness.SendAsync("a", group: "a");
        await _harness.SendAsync("b", group: "b");
        var received = await _harness.ReceiveAsync();
        IFifoQueue oneByOne = new OneByOneQueue(_harness.Queue);

        var deleted = await oneByOne.DeleteBatchAsync([received[0].ReceiptHandle, "unknown", received[1].ReceiptHandle], CancellationToken.None);

        Assert.Equal([true, false, true], deleted);
        Assert.Equal(2, (await _harness.StatsAsync()).Completed);
    }

    public void Dispose() => _harness.Dispose();

    /// <summary>A queue that implements only the single-message operations, as an adapter might.</summary>
    private sealed class OneByOneQueue(IFifoQueue inner) : IFifoQueue
    {
        public Task<SendResult> SendAsync(OutgoingMessage message, CancellationToken cancellationToken) => inner.SendAsync(message, cancellationToken);

        public Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(int maxMessages, TimeSpan visibilityTimeout, TimeSpan waitTime, CancellationToken cancellationToken) =>
            inner.ReceiveAsync(maxMessages, visibilityTimeout, waitTime, cancellationToken);

        public Task<bool> DeleteAsync(string receiptHandle, CancellationToken cancellationToken) => inner.DeleteAsync(receiptHandle, cancellationToken);

        public Task<QueueStats> GetStatsAsync(CancellationToken cancellationToken) => inner.GetStatsAsync(cancellationToken);
    }
}
