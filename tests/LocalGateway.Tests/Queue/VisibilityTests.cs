namespace SocketRelay.LocalGateway.Tests.Queue;

public sealed class VisibilityTests : IDisposable
{
    private readonly QueueHarness _harness = new();

    [Fact]
    public async Task After_the_visibility_timeout_the_same_message_comes_first_again_with_its_receive_count_incremented()
    {
        await _harness.SendAsync("first");
        await _harness.SendAsync("second");
        var firstReceive = Assert.Single(await _harness.ReceiveAsync(maxMessages: 1));

        _harness.Time.Advance(QueueHarness.Visibility - TimeSpan.FromMilliseconds(1));
        Assert.Empty(await _harness.ReceiveAsync());
        _harness.Time.Advance(TimeSpan.FromMilliseconds(1));
        var secondReceive = Assert.Single(await _harness.ReceiveAsync(maxMessages: 1));

        Assert.Equal(firstReceive.MessageId, secondReceive.MessageId);
        Assert.Equal(1, firstReceive.ApproximateReceiveCount);
        Assert.Equal(2, secondReceive.ApproximateReceiveCount);
        Assert.NotEqual(firstReceive.ReceiptHandle, secondReceive.ReceiptHandle);
    }

    [Fact]
    public async Task A_stale_receipt_handle_cannot_delete_a_message_that_was_received_again()
    {
        await _harness.SendAsync("body");
        var stale = Assert.Single(await _harness.ReceiveAsync());
        _harness.Time.Advance(QueueHarness.Visibility);
        var current = Assert.Single(await _harness.ReceiveAsync());

        Assert.False(await _harness.DeleteAsync(stale));
        Assert.Equal(1, (await _harness.StatsAsync()).InFlight);
        Assert.True(await _harness.DeleteAsync(current));
        Assert.Equal(0, (await _harness.StatsAsync()).InFlight);
    }

    [Fact]
    public async Task A_message_is_deleted_only_once()
    {
        await _harness.SendAsync("body");
        var message = Assert.Single(await _harness.ReceiveAsync());

        Assert.True(await _harness.DeleteAsync(message));
        Assert.False(await _harness.DeleteAsync(message));
        Assert.Equal(1, (await _harness.StatsAsync()).Completed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a receipt handle")]
    // The first message's row key with a nonce that was never issued.
    [InlineData("AAAAAAAAAAEAAAAAAAAAAAAAAAAAAAAA")]
    public async Task An_unknown_receipt_handle_deletes_nothing(string receiptHandle)
    {
        await _harness.SendAsync("body");
        Assert.Single(await _harness.ReceiveAsync());

        Assert.False(await _harness.Queue.DeleteAsync(receiptHandle, CancellationToken.None));
        Assert.Equal(1, (await _harness.StatsAsync()).InFlight);
    }

    public void Dispose() => _harness.Dispose();
}
