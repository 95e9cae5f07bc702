namespace SocketRelay.LocalGateway.Tests.Queue;

public sealed class RedriveTests : IDisposable
{
    private const int MaxReceiveCount = 3;
    private readonly QueueHarness _harness = new(MaxReceiveCount);

    [Fact]
    public async Task ApproximateReceiveCount_counts_receives_and_the_first_receive_time_stays()
    {
        var sentAt = _harness.Time.GetUtcNow().ToUnixTimeMilliseconds();
        await _harness.SendAsync("body");
        _harness.Time.Advance(TimeSpan.FromSeconds(1));
        var firstReceivedAt = _harness.Time.GetUtcNow().ToUnixTimeMilliseconds();

        var counts = new List<int>();
        for (var i = 0; i < MaxReceiveCount; i++)
        {
            var message = Assert.Single(await _harness.ReceiveAsync());
            Assert.Equal(sentAt, message.SentTimestamp);
            Assert.Equal(firstReceivedAt, message.ApproximateFirstReceiveTimestamp);
            counts.Add(message.ApproximateReceiveCount);
            _harness.Time.Advance(QueueHarness.Visibility);
        }

        Assert.Equal([1, 2, 3], counts);
    }

    [Fact]
    public async Task A_message_due_for_one_receive_more_than_maxReceiveCount_goes_to_the_dead_letter_queue_and_its_group_goes_on()
    {
        await _harness.SendAsync("poison", group: "a");
        await _harness.SendAsync("next", group: "a");
        for (var i = 0; i < MaxReceiveCount; i++)
        {
            Assert.Equal("poison", Assert.Single(await _harness.ReceiveAsync(maxMessages: 1)).Body);
            _harness.Time.Advance(QueueHarness.Visibility);
        }

        var afterRedrive = await _harness.ReceiveAsync(maxMessages: 1);

        Assert.Equal("next", Assert.Single(afterRedrive).Body);
        var deadLetter = Assert.Single(_harness.DeadLetters());
        Assert.Equal("poison", deadLetter.Body);
        Assert.Equal("a", deadLetter.GroupId);
        Assert.Equal(MaxReceiveCount, deadLetter.ReceiveCount);
        Assert.Contains("maxReceiveCount", deadLetter.Reason, StringComparison.Ordinal);
        Assert.Equal(1, (await _harness.StatsAsync()).DeadLetterQueueDepth);
    }

    [Fact]
    public async Task A_receive_that_dead_letters_a_message_still_fills_up_with_the_messages_behind_it()
    {
        await _harness.SendAsync("poison", group: "p");
        for (var i = 0; i < MaxReceiveCount; i++)
        {
            Assert.Single(await _harness.ReceiveAsync());
            _harness.Time.Advance(QueueHarness.Visibility);
        }

        await _harness.SendAsync("a1", group: "a");
        await _harness.SendAsync("a2", group: "a");
        var received = await _harness.ReceiveAsync(maxMessages: 2);

        Assert.Equal(["a1", "a2"], received.Select(m => m.Body));
        Assert.Equal("poison", Assert.Single(_harness.DeadLetters()).Body);
    }

    [Fact]
    public async Task A_message_in_its_last_allowed_receive_is_still_delivered()
    {
        await _harness.SendAsync("body");
        for (var i = 0; i < MaxReceiveCount - 1; i++)
        {
            Assert.Single(await _harness.ReceiveAsync());
            _harness.Time.Advance(QueueHarness.Visibility);
        }

        var last = Assert.Single(await _harness.ReceiveAsync());

        Assert.Equal(MaxReceiveCount, last.ApproximateReceiveCount);
        Assert.True(await _harness.DeleteAsync(last));
        Assert.Empty(_harness.DeadLetters());
    }

    [Fact]
    public async Task The_default_maxReceiveCount_is_five()
    {
        using var harness = new QueueHarness();
        await harness.SendAsync("body");
        for (var i = 0; i < 5; i++)
        {
            Assert.Single(await harness.ReceiveAsync());
            harness.Time.Advance(QueueHarness.Visibility);
        }

        Assert.Empty(await harness.ReceiveAsync());
        Assert.Single(harness.DeadLetters());
    }

    public void Dispose() => _harness.Dispose();
}
