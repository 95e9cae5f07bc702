using System.Diagnostics;
using SocketRelay.LocalGateway.Queue;

namespace SocketRelay.LocalGateway.Tests.Queue;

/// <summary>Long polls on the real clock, with an idle poll interval longer than the wait so only a wake-up can end them early.</summary>
public sealed class LongPollTests : IDisposable
{
    private static readonly TimeSpan WaitTime = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan WellBeforeWaitTime = TimeSpan.FromSeconds(2);
    private readonly SqliteQueueOptions _options = new()
    {
        DataDirectory = QueueHarness.CreateTemporaryDirectory(),
        IdlePollInterval = TimeSpan.FromSeconds(30),
    };

    private readonly SqliteFifoQueue _queue;

    public LongPollTests() => _queue = SqliteFifoQueue.Open(_options, TimeProvider.System);

    [Fact]
    public async Task A_long_poll_returns_as_soon_as_a_message_is_sent()
    {
        var stopwatch = Stopwatch.StartNew();
        var poll = _queue.ReceiveAsync(10, TimeSpan.FromSeconds(30), WaitTime, CancellationToken.None);
        await Task.Delay(TimeSpan.FromMilliseconds(200));
        Assert.False(poll.IsCompleted);

        await SendAsync("wake up", "group");
        var received = await poll;

        Assert.Equal("wake up", Assert.Single(received).Body);
        Assert.True(stopwatch.Elapsed < WellBeforeWaitTime, $"took {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task A_long_poll_returns_as_soon_as_a_delete_unlocks_the_group()
    {
        await SendAsync("first", "group");
        await SendAsync("second", "group");
        var first = Assert.Single(await _queue.ReceiveAsync(1, TimeSpan.FromSeconds(30), TimeSpan.Zero, CancellationToken.None));
        var stopwatch = Stopwatch.StartNew();
        var poll = _queue.ReceiveAsync(10, TimeSpan.FromSeconds(30), WaitTime, CancellationToken.None);
        await Task.Delay(TimeSpan.FromMilliseconds(200));
        Assert.False(poll.IsCompleted);

        await _queue.DeleteAsync(first.ReceiptHandle, CancellationToken.None);

        Assert.Equal("second", Assert.Single(await poll).Body);
        Assert.True(stopwatch.Elapsed < WellBeforeWaitTime, $"took {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task A_long_poll_with_nothing_to_receive_returns_empty_after_its_wait_time()
    {
        var stopwatch = Stopwatch.StartNew();

        var received = await _queue.ReceiveAsync(10, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(300), CancellationToken.None);

        Assert.Empty(received);
        Assert.InRange(stopwatch.Elapsed, TimeSpan.FromMilliseconds(290), WellBeforeWaitTime);
    }

    [Fact]
    public async Task A_long_poll_stops_when_cancelled()
    {
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => _queue.ReceiveAsync(10, TimeSpan.FromSeconds(30), WaitTime, cancellation.Token));
    }

    [Fact]
    public async Task A_message_wakes_the_one_long_poll_that_receives_it_not_every_idle_one()
    {
        var polls = Enumerable.Range(0, 8).Select(_ => _queue.ReceiveAsync(10, TimeSpan.FromSeconds(30), WaitTime, CancellationToken.None)).ToList();
        await UntilAsync(() => _queue.EmptyLooks == polls.Count);

        await SendAsync("for one of them", "group");
        var first = await Task.WhenAny(polls).WaitAsync(WellBeforeWaitTime);
        await Task.Delay(TimeSpan.FromMilliseconds(300));

        Assert.Equal("for one of them", Assert.Single(await first).Body);
        Assert.Equal(polls.Count - 1, polls.Count(poll => !poll.IsCompleted));
        // Each poll looked once when it started; none of the others was woken to look again and find nothing.
        Assert.Equal(polls.Count, _queue.EmptyLooks);
    }

    [Theory]
    // Ten a receive: the poll woken takes g1 and g2 whole and leaves g3 open, which wakes a second; the third sleeps on.
    [InlineData(10, 3, 5, 2)]
    // Two a receive: each poll woken takes one group and leaves the next open, which wakes the next poll; three polls
    // for three groups, and the fourth sleeps on.
    [InlineData(2, 4, 2, 3)]
    public async Task Groups_opened_by_one_commit_wake_as_many_long_polls_as_it_takes_to_receive_them_all(
        int maxMessages, int pollCount, int perGroup, int pollsThatReceive)
    {
        // Three groups locked by their received heads, more messages queued behind each.
        string[] groups = ["g1", "g2", "g3"];
        foreach (var group in groups)
        {
            await SendAsync($"{group} head", group);
        }

        var heads = await _queue.ReceiveAsync(10, TimeSpan.FromSeconds(30), TimeSpan.Zero, CancellationToken.None);
        Assert.Equal(groups.Length, heads.Count);
        foreach (var group in groups)
        {
            for (var i = 0; i < perGroup; i++)
            {
                await SendAsync($"{group} {i}", group);
            }
        }

        var looksBefore = _queue.EmptyLooks;
        var polls = Enumerable.Range(0, pollCount).Select(_ => _queue.ReceiveAsync(maxMessages, TimeSpan.FromSeconds(30), WaitTime, CancellationToken.None)).ToList();
        await UntilAsync(() => _queue.EmptyLooks == looksBefore + polls.Count);

        // One commit opens all three groups.
        await _queue.DeleteBatchAsync(heads.Select(head => head.ReceiptHandle).ToList(), CancellationToken.None);
        var received = new List<IReadOnlyList<ReceivedMessage>>();
        var stopwatch = Stopwatch.StartNew();
        while (received.Sum(batch => batch.Count) < groups.Length * perGroup && stopwatch.Elapsed < WellBeforeWaitTime)
        {
            var done = polls.Where(poll => poll.IsCompleted).ToList();
            polls.RemoveAll(done.Contains);
            foreach (var poll in done)
            {
                received.Add(await poll);
            }

            await Task.Delay(10);
        }

        await Task.Delay(TimeSpan.FromMilliseconds(200));
        Assert.Equal(groups.Length * perGroup, received.Sum(batch => batch.Count));
        Assert.Equal(groups, received.SelectMany(batch => batch).Select(message => message.MessageGroupId).Distinct().Order());
        Assert.Equal(pollsThatReceive, received.Count);
        Assert.All(polls, poll => Assert.False(poll.IsCompleted));
        // None was woken to look in vain.
        Assert.Equal(looksBefore + pollCount, _queue.EmptyLooks);
    }

    public void Dispose()
    {
        _queue.Dispose();
        Directory.Delete(_options.DataDirectory, recursive: true);
    }

    private static async Task UntilAsync(Func<bool> condition)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(stopwatch.Elapsed < WellBeforeWaitTime, "the long polls did not all look within the time");
            await Task.Delay(10);
        }
    }

    private Task<SendResult> SendAsync(string body, string group) =>
        _queue.SendAsync(new OutgoingMessage(body, group, Guid.NewGuid().ToString(), new Dictionary<string, string>()), CancellationToken.None);
}
