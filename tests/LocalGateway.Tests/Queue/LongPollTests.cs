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

    public void Dispose()
    {
        _queue.Dispose();
        Directory.Delete(_options.DataDirectory, recursive: true);
    }

    private Task<SendResult> SendAsync(string body, string group) =>
        _queue.SendAsync(new OutgoingMessage(body, group, Guid.NewGuid().ToString(), new Dictionary<string, string>()), CancellationToken.None);
}
