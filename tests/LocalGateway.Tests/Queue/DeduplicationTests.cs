using SocketRelay.LocalGateway.Queue;

namespace SocketRelay.LocalGateway.Tests.Queue;

public sealed class DeduplicationTests : IDisposable
{
    private readonly QueueHarness _harness = new();

    [Fact]
    public async Task A_deduplication_id_seen_within_five_minutes_is_accepted_but_not_enqueued_again()
    {
        var original = await _harness.SendAsync("original", deduplicationId: "request-1");
        _harness.Time.Advance(SqliteFifoQueue.DeduplicationWindow - TimeSpan.FromMilliseconds(1));

        var duplicate = await _harness.SendAsync("retry", deduplicationId: "request-1");

        Assert.False(original.IsDuplicate);
        Assert.True(duplicate.IsDuplicate);
        Assert.Equal(original.MessageId, duplicate.MessageId);
        Assert.Equal(original.SequenceNumber, duplicate.SequenceNumber);
        Assert.Equal("original", Assert.Single(await _harness.ReceiveAsync()).Body);
        Assert.Equal(1, (await _harness.StatsAsync()).Accepted);
    }

    /// <summary>
    /// The deployed queue has <c>DeduplicationScope: messageGroup</c>: a deduplication id is unique
    /// within its message group only. Found by the model-based test (shrunk counter-example).
    /// </summary>
    [Fact]
    public async Task The_same_deduplication_id_in_another_group_is_a_new_message()
    {
        var first = await _harness.SendAsync("m0", group: "g2", deduplicationId: "d1");
        var second = await _harness.SendAsync("m1", group: "g0", deduplicationId: "d1");
        var sameGroup = await _harness.SendAsync("m2", group: "g0", deduplicationId: "d1");

        Assert.False(first.IsDuplicate);
        Assert.False(second.IsDuplicate);
        Assert.NotEqual(first.MessageId, second.MessageId);
        Assert.True(sameGroup.IsDuplicate);
        Assert.Equal(second.MessageId, sameGroup.MessageId);
        Assert.Equal(["m0", "m1"], (await _harness.ReceiveAsync()).Select(m => m.Body));
        Assert.Equal(2, (await _harness.StatsAsync()).Accepted);
    }

    [Fact]
    public async Task A_deduplication_id_is_remembered_after_its_message_was_deleted_and_across_a_reopen()
    {
        await _harness.SendAsync("original", deduplicationId: "request-1");
        await _harness.DeleteAsync(Assert.Single(await _harness.ReceiveAsync()));
        _harness.Reopen();

        var duplicate = await _harness.SendAsync("retry", deduplicationId: "request-1");

        Assert.True(duplicate.IsDuplicate);
        Assert.Empty(await _harness.ReceiveAsync());
    }

    [Fact]
    public async Task The_same_deduplication_id_five_minutes_later_is_a_new_message()
    {
        var original = await _harness.SendAsync("original", deduplicationId: "request-1");
        _harness.Time.Advance(SqliteFifoQueue.DeduplicationWindow);

        var later = await _harness.SendAsync("later", deduplicationId: "request-1");

        Assert.False(later.IsDuplicate);
        Assert.NotEqual(original.MessageId, later.MessageId);
        Assert.Equal(["original", "later"], (await _harness.ReceiveAsync()).Select(m => m.Body));
        Assert.Equal(2, (await _harness.StatsAsync()).Accepted);
    }

    [Fact]
    public async Task Different_deduplication_ids_are_different_messages_even_with_the_same_body()
    {
        await _harness.SendAsync("same", deduplicationId: "request-1");
        await _harness.SendAsync("same", deduplicationId: "request-2");

        Assert.Equal(2, (await _harness.ReceiveAsync()).Count);
    }

    public void Dispose() => _harness.Dispose();
}
