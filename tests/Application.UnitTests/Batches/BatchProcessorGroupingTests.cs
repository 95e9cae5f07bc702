using NSubstitute;
using SocketRelay.Application.Ports;
using SocketRelay.Domain.Identifiers;
using SocketRelay.Domain.Messages;
using static SocketRelay.Application.UnitTests.Batches.BatchFixture;

namespace SocketRelay.Application.UnitTests.Batches;

public class BatchProcessorGroupingTests
{
    [Fact]
    public async Task Empty_batch_reports_nothing_and_sends_nothing()
    {
        var fixture = new BatchFixture();

        var result = await fixture.RunAsync([]);

        Assert.Empty(result.FailedMessageIds);
        Assert.Empty(fixture.Sent);
    }

    [Fact]
    public async Task One_group_is_answered_in_arrival_order_and_nothing_is_reported()
    {
        var fixture = new BatchFixture();

        var result = await fixture.RunAsync([Message("m1", "g"), Message("m2", "g"), Message("m3", "g"), Message("m4", "g")]);

        Assert.Empty(result.FailedMessageIds);
        Assert.Equal(["m1", "m2", "m3", "m4"], fixture.Sent);
        Assert.Equal(4, result.Delivered);
    }

    [Fact]
    public async Task Ten_groups_are_all_answered_and_nothing_is_reported()
    {
        var fixture = new BatchFixture();
        var batch = Enumerable.Range(0, 10).Select(i => Message($"m{i}", $"g{i}")).ToArray();

        var result = await fixture.RunAsync(batch);

        Assert.Empty(result.FailedMessageIds);
        Assert.Equal(batch.Select(m => m.MessageId.Value).Order(), fixture.Sent.Order());
    }

    [Fact]
    public async Task Interleaved_groups_keep_arrival_order_inside_each_group()
    {
        var fixture = new BatchFixture { SendLatency = TimeSpan.FromMilliseconds(5) };
        var batch = new[]
        {
            Message("a1", "A"), Message("b1", "B"), Message("a2", "A"), Message("c1", "C"),
            Message("b2", "B"), Message("a3", "A"), Message("c2", "C"), Message("b3", "B"), Message("c3", "C"),
        };

        var result = await fixture.RunAsync(batch);

        Assert.Empty(result.FailedMessageIds);
        foreach (var group in new[] { "a", "b", "c" })
        {
            Assert.Equal([$"{group}1", $"{group}2", $"{group}3"], fixture.Sent.Where(id => id.StartsWith(group, StringComparison.Ordinal)));
        }
    }

    [Fact]
    public async Task Messages_of_one_group_are_sent_one_at_a_time()
    {
        var fixture = new BatchFixture { SendLatency = TimeSpan.FromMilliseconds(20) };

        await fixture.RunAsync([Message("m1", "g"), Message("m2", "g"), Message("m3", "g"), Message("m4", "g")]);

        Assert.Equal(1, fixture.MaxConcurrentSends);
    }

    [Fact]
    public async Task Different_groups_are_sent_concurrently_up_to_the_default_bound_of_ten()
    {
        var fixture = new BatchFixture { SendLatency = TimeSpan.FromMilliseconds(200) };
        var batch = Enumerable.Range(0, 12).Select(i => Message($"m{i}", $"g{i}")).ToArray();

        await fixture.RunAsync(batch);

        Assert.Equal(10, fixture.MaxConcurrentSends);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task The_concurrency_bound_is_honoured(int bound)
    {
        var fixture = new BatchFixture { SendLatency = TimeSpan.FromMilliseconds(50) };
        fixture.Options.MaxConcurrentGroups = bound;
        var batch = Enumerable.Range(0, 10).Select(i => Message($"m{i}", $"g{i}")).ToArray();

        var result = await fixture.RunAsync(batch);

        Assert.Empty(result.FailedMessageIds);
        Assert.Equal(bound, fixture.MaxConcurrentSends);
    }

    [Fact]
    public async Task A_reply_handler_that_returns_no_reply_completes_the_message_without_sending()
    {
        var fixture = new BatchFixture { ReplyHandler = new NoReplyHandler() };

        var result = await fixture.RunAsync([Message("m1", "g"), Message("m2", "g")]);

        Assert.Empty(result.FailedMessageIds);
        Assert.Empty(fixture.Sent);
        Assert.Equal(2, result.Unanswered);
    }

    [Fact]
    public async Task The_notifier_is_told_to_finish_by_the_deadline_minus_the_safety_margin()
    {
        var fixture = new BatchFixture();
        fixture.Options.DeadlineSafetyMargin = TimeSpan.FromSeconds(3);
        var deadline = DateTimeOffset.UtcNow.AddMinutes(1);

        await fixture.Processor().ProcessAsync([Message("m1", "g")], deadline);

        await fixture.Notifier.Received(1).SendAsync(
            Arg.Any<Reply>(), deadline.AddSeconds(-3), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task The_default_reply_is_the_seed_echo_envelope_sent_to_the_sender()
    {
        var fixture = new BatchFixture();
        const string body = "{\"MessageGroupId\":\"test\",\"data\":\"hello world\"}";

        await fixture.RunAsync([Message("req-1", "test", connection: "L0SM9cOFvHcCIhw=", body: body)]);

        await fixture.Notifier.Received(1).SendAsync(
            new Reply(ConnectionId.Create("L0SM9cOFvHcCIhw="), RequestId.Create("req-1"), body),
            Arg.Any<DateTimeOffset>(),
            Arg.Any<CancellationToken>());
    }

    private sealed class NoReplyHandler : IReplyHandler
    {
        public ValueTask<Reply?> HandleAsync(QueuedMessage message, CancellationToken cancellationToken) =>
            ValueTask.FromResult<Reply?>(null);
    }
}
