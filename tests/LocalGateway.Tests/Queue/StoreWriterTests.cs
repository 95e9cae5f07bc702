using SocketRelay.LocalGateway.Queue;

namespace SocketRelay.LocalGateway.Tests.Queue;

/// <summary>
/// The queue's one writer thread: callers that overlap share a transaction (one commit, one disk flush),
/// a failed transaction takes none of its operations into the queue and fails each of them, and callers
/// resume on the thread pool, never on the writer.
/// </summary>
public sealed class StoreWriterTests : IDisposable
{
    private readonly SqliteQueueOptions _options = new() { DataDirectory = Path.Combine(QueueHarness.CreateTemporaryDirectory(), "data") };
    private readonly SqliteQueueStore _store;
    private readonly StoreWriter _writer;
    private readonly long _now = 1_000;

    public StoreWriterTests()
    {
        Directory.CreateDirectory(_options.DataDirectory);
        _store = new SqliteQueueStore(SqliteQueueSchema.Open(_options));
        _writer = new StoreWriter(_store, () => _now, () => { });
    }

    [Fact]
    public async Task Sends_deletes_and_receives_queued_while_the_writer_is_busy_commit_together_in_one_transaction()
    {
        await _writer.Run(new SendOperation(Message("first", "a")));
        var received = (await _writer.Run(Receive())).Messages;
        var committedBefore = _writer.CommittedTransactions;

        using var busy = new ManualResetEventSlim();
        var blocker = _writer.Run(new ExclusiveOperation<bool>((_, _) => busy.Wait(TimeSpan.FromSeconds(30))));
        var sends = Enumerable.Range(0, 50).Select(i => _writer.Run(new SendOperation(Message($"m{i}", $"g{i % 5}")))).ToList();
        var delete = _writer.Run(new DeleteOperation([(long.Parse(received[0].SequenceNumber, System.Globalization.CultureInfo.InvariantCulture), received[0].ReceiptHandle)]));
        var receive = _writer.Run(Receive());
        busy.Set();

        Assert.True(await blocker);
        Assert.All(await Task.WhenAll(sends), result => Assert.False(result.IsDuplicate));
        Assert.Equal([true], await delete);
        Assert.Equal(["m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9"], (await receive).Messages.Select(m => m.Body));
        Assert.Equal(committedBefore + 1, _writer.CommittedTransactions);
        Assert.Equal((51L, 1L), (_store.GetStats(_now).Accepted, _store.GetStats(_now).Completed));
    }

    [Fact]
    public async Task A_failing_operation_rolls_back_its_transaction_and_every_operation_in_it_fails_with_its_error()
    {
        using var busy = new ManualResetEventSlim();
        var blocker = _writer.Run(new ExclusiveOperation<bool>((_, _) => busy.Wait(TimeSpan.FromSeconds(30))));
        var before = _writer.Run(new SendOperation(Message("before", "a")));
        var failing = _writer.Run(new FailingOperation());
        var after = _writer.Run(new SendOperation(Message("after", "b")));
        busy.Set();
        await blocker;

        foreach (var task in new Task[] { before, failing, after })
        {
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => task);
            Assert.Equal(FailingOperation.Reason, error.Message);
        }

        Assert.Equal((0L, 0L), (_store.GetStats(_now).Accepted, _store.GetStats(_now).QueueDepth));
        Assert.Empty((await _writer.Run(Receive())).Messages);

        // The writer outlives the failure: the next transaction commits.
        Assert.False((await _writer.Run(new SendOperation(Message("later", "c")))).IsDuplicate);
        Assert.Equal(["later"], (await _writer.Run(Receive())).Messages.Select(m => m.Body));
    }

    [Fact]
    public async Task A_caller_resumes_on_the_thread_pool_and_never_holds_up_the_writer_thread()
    {
        // On the thread pool there is no synchronization context (as in the gateway): the continuation runs
        // wherever the operation is completed from.
        var resumedOn = await Task.Run(async () =>
        {
            await _writer.Run(new SendOperation(Message("m", "a")));
            return Thread.CurrentThread;
        });

        Assert.NotEqual("SocketRelay queue writer", resumedOn.Name);
        Assert.True(resumedOn.IsThreadPoolThread);
    }

    [Fact]
    public async Task Disposing_runs_what_was_already_queued_and_then_refuses_more()
    {
        var sends = Enumerable.Range(0, 20).Select(i => _writer.Run(new SendOperation(Message($"m{i}", "a")))).ToList();

        _writer.Dispose();

        Assert.All(await Task.WhenAll(sends), result => Assert.False(result.IsDuplicate));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => _writer.Run(new SendOperation(Message("late", "a"))));
        Assert.Equal(20L, _store.GetStats(_now).Accepted);
    }

    public void Dispose()
    {
        _writer.Dispose();
        _store.Dispose();
        Directory.Delete(Path.GetDirectoryName(_options.DataDirectory)!, recursive: true);
    }

    private static OutgoingMessage Message(string body, string group) => new(body, group, Guid.NewGuid().ToString(), new Dictionary<string, string>());

    private static ReceiveOperation Receive() => new(10, TimeSpan.FromSeconds(30), maxReceiveCount: 5, senderId: "sender");

    private sealed class FailingOperation : StoreOperation<bool>
    {
        public const string Reason = "this operation fails inside the shared transaction";

        public override bool Joins => true;

        protected override bool Run(SqliteQueueStore store, long now) => throw new InvalidOperationException(Reason);
    }
}
