using SocketRelay.LocalGateway.Queue;

namespace SocketRelay.LocalGateway.Tests.Queue;

/// <summary>The console's redrive and delete on the SQLite queue's dead-letter queue.</summary>
public sealed class DeadLetterOperationsTests : IDisposable
{
    private const int MaxReceiveCount = 2;
    private readonly QueueHarness _harness = new(MaxReceiveCount);

    [Fact]
    public async Task Redriving_one_dead_letter_puts_it_back_at_the_end_of_the_queue_with_its_id_body_group_and_a_fresh_receive_count()
    {
        var poison = await DeadLetterAsync("poison", group: "a");
        await DeadLetterAsync("other", group: "b");
        await _harness.SendAsync("waiting", group: "c");

        var moved = await _harness.Queue.RedriveDeadLettersAsync(poison.MessageId, CancellationToken.None);

        Assert.Equal([poison.MessageId], moved);
        Assert.Equal(["other"], (await ListAsync()).Select(d => d.Body));
        var stats = await _harness.StatsAsync();
        Assert.Equal((2L, 0L, 1L), (stats.QueueDepth, stats.InFlight, stats.DeadLetterQueueDepth));
        var received = await _harness.ReceiveAsync();
        Assert.Equal(["waiting", "poison"], received.Select(m => m.Body));
        var again = received[1];
        Assert.Equal((poison.MessageId, "a", 1), (again.MessageId, again.MessageGroupId, again.ApproximateReceiveCount));
        Assert.Equal("poison", again.Body);
    }

    [Fact]
    public async Task Redriving_all_moves_every_dead_letter_back_oldest_first_and_survives_a_restart()
    {
        var first = await DeadLetterAsync("first", group: "a");
        var second = await DeadLetterAsync("second", group: "b");

        var moved = await _harness.Queue.RedriveDeadLettersAsync(null, CancellationToken.None);
        _harness.Reopen();

        Assert.Equal([first.MessageId, second.MessageId], moved);
        Assert.Empty(await ListAsync());
        var stats = await _harness.StatsAsync();
        Assert.Equal((2L, 0L), (stats.QueueDepth, stats.DeadLetterQueueDepth));
        Assert.Equal(["first", "second"], (await _harness.ReceiveAsync()).Select(m => m.Body));
    }

    [Fact]
    public async Task Redriving_an_unknown_id_moves_nothing()
    {
        await DeadLetterAsync("poison");

        Assert.Empty(await _harness.Queue.RedriveDeadLettersAsync("no-such-id", CancellationToken.None));
        Assert.Single(await ListAsync());
    }

    [Fact]
    public async Task Deleting_a_dead_letter_removes_it_for_good_and_only_it()
    {
        var gone = await DeadLetterAsync("gone", group: "a");
        var kept = await DeadLetterAsync("kept", group: "b");

        Assert.True(await _harness.Queue.DeleteDeadLetterAsync(gone.MessageId, CancellationToken.None));
        Assert.False(await _harness.Queue.DeleteDeadLetterAsync(gone.MessageId, CancellationToken.None));
        Assert.Equal(1, (await _harness.StatsAsync()).DeadLetterQueueDepth);
        _harness.Reopen();

        Assert.Equal([kept.MessageId], (await ListAsync()).Select(d => d.MessageId));
        var stats = await _harness.StatsAsync();
        Assert.Equal(1, stats.DeadLetterQueueDepth);
        Assert.Equal(stats.Accepted, stats.Completed + stats.DeadLetterQueueDepth);
    }

    [Fact]
    public async Task The_dead_letter_reason_carries_the_last_failure_the_observer_knows_and_the_observer_is_told()
    {
        var observer = new RecordingObserver("@connections answered 413 Payload Too Large.");
        _harness.Queue.DeadLetterObserver = observer;

        var poison = await DeadLetterAsync("poison");

        var reason = Assert.Single(await ListAsync()).Reason;
        Assert.Contains("maxReceiveCount 2", reason, StringComparison.Ordinal);
        Assert.EndsWith("Last failure: @connections answered 413 Payload Too Large.", reason, StringComparison.Ordinal);
        Assert.Equal([(poison.MessageId, reason)], observer.DeadLettered);
    }

    public void Dispose() => _harness.Dispose();

    private Task<IReadOnlyList<DeadLetter>> ListAsync() => _harness.Queue.ListDeadLettersAsync(10, CancellationToken.None);

    /// <summary>Sends a message and receives it until the redrive policy moves it to the dead-letter queue.</summary>
    private async Task<SendResult> DeadLetterAsync(string body, string group = "group")
    {
        var sent = await _harness.SendAsync(body, group);
        for (var i = 0; i <= MaxReceiveCount; i++)
        {
            await _harness.ReceiveAsync();
            _harness.Time.Advance(QueueHarness.Visibility);
        }

        return sent;
    }

    private sealed class RecordingObserver(string lastFailure) : IDeadLetterObserver
    {
        public List<(string MessageId, string Reason)> DeadLettered { get; } = [];

        public string? LastFailure(string messageId) => lastFailure;

        void IDeadLetterObserver.DeadLettered(string messageId, string reason, long at) => DeadLettered.Add((messageId, reason));
    }
}
