using Microsoft.Extensions.Logging;
using NSubstitute;
using SocketRelay.Application.Ports;
using SocketRelay.Domain.Delivery;
using SocketRelay.Domain.Messages;
using static SocketRelay.Application.UnitTests.Batches.BatchFixture;

namespace SocketRelay.Application.UnitTests.Batches;

public class BatchProcessorFailureTests
{
    private static readonly BatchItem[] GroupOfFour = [Message("m1", "g"), Message("m2", "g"), Message("m3", "g"), Message("m4", "g")];

    [Fact]
    public async Task A_failure_first_in_a_group_fails_the_whole_group_without_running_the_rest()
    {
        var fixture = new BatchFixture().Script("m1", DeliveryResult.Transient("429"));

        var result = await fixture.RunAsync(GroupOfFour);

        Assert.Equal(["m1", "m2", "m3", "m4"], result.FailedIds());
        Assert.Equal(["m1"], fixture.Sent);
    }

    [Fact]
    public async Task A_failure_in_the_middle_reports_it_and_every_later_message_but_not_the_earlier_ones()
    {
        var fixture = new BatchFixture().Script("m2", DeliveryResult.Transient("500"));

        var result = await fixture.RunAsync(GroupOfFour);

        Assert.Equal(["m2", "m3", "m4"], result.FailedIds());
        Assert.Equal(["m1", "m2"], fixture.Sent);
        Assert.Equal(1, result.Delivered);
    }

    [Fact]
    public async Task A_failure_last_in_a_group_reports_only_that_message()
    {
        var fixture = new BatchFixture().Script("m4", DeliveryResult.Transient("503"));

        var result = await fixture.RunAsync(GroupOfFour);

        Assert.Equal(["m4"], result.FailedIds());
        Assert.Equal(["m1", "m2", "m3", "m4"], fixture.Sent);
    }

    [Fact]
    public async Task A_permanent_failure_is_reported_alone_and_the_rest_of_its_group_goes_on()
    {
        var fixture = new BatchFixture().Script("m1", DeliveryResult.Permanent("413 payload too large"));

        var result = await fixture.RunAsync(GroupOfFour);

        // Holding m2–m4 back would cost them receives until redrive dead-letters them with m1 (ADR-008).
        Assert.Equal(["m1"], result.FailedIds());
        Assert.Equal(["m1", "m2", "m3", "m4"], fixture.Sent);
        Assert.Equal(3, result.Delivered);
    }

    [Fact]
    public async Task A_failure_in_one_group_lets_the_other_groups_go_on()
    {
        var fixture = new BatchFixture().Script("a1", DeliveryResult.Transient("429"));

        var result = await fixture.RunAsync([Message("a1", "A"), Message("b1", "B"), Message("a2", "A"), Message("b2", "B"), Message("c1", "C")]);

        Assert.Equal(["a1", "a2"], result.FailedIds());
        Assert.Contains("b1", fixture.Sent);
        Assert.Contains("b2", fixture.Sent);
        Assert.Contains("c1", fixture.Sent);
        Assert.DoesNotContain("a2", fixture.Sent);
    }

    [Fact]
    public async Task A_gone_client_in_the_middle_of_a_group_counts_done_and_does_not_block_the_group()
    {
        var fixture = new BatchFixture().Script("m2", DeliveryResult.Gone);

        var result = await fixture.RunAsync(GroupOfFour);

        Assert.Empty(result.FailedMessageIds);
        Assert.Equal(["m1", "m2", "m3", "m4"], fixture.Sent);
        Assert.Equal(1, result.Gone);
        Assert.Equal(3, result.Delivered);
    }

    [Fact]
    public async Task A_record_that_can_never_succeed_is_reported_alone_and_its_group_goes_on()
    {
        var fixture = new BatchFixture();

        var result = await fixture.RunAsync([Message("a1", "A"), Invalid("a2", "A"), Message("a3", "A"), Message("b1", "B")]);

        Assert.Equal(["a2"], result.FailedIds());
        Assert.Equal(["a1", "a3", "b1"], fixture.Sent.Order());
        var error = Assert.Single(fixture.Logger.AtOrAbove(LogLevel.Error));
        Assert.Contains("no connectionId attribute", error.Message, StringComparison.Ordinal);
        Assert.Contains("a2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_exception_thrown_by_the_notifier_fails_the_message_and_holds_back_its_group()
    {
        var fixture = new BatchFixture().Script("a2", _ => throw new HttpRequestException("connection refused"));

        var result = await fixture.RunAsync([Message("a1", "A"), Message("a2", "A"), Message("a3", "A"), Message("b1", "B")]);

        Assert.Equal(["a2", "a3"], result.FailedIds());
        Assert.Contains("b1", fixture.Sent);
        var error = Assert.Single(fixture.Logger.AtOrAbove(LogLevel.Error));
        Assert.IsType<HttpRequestException>(error.Exception);
    }

    [Fact]
    public async Task An_exception_thrown_by_the_reply_handler_fails_the_message_and_holds_back_its_group()
    {
        var handler = Substitute.For<IReplyHandler>();
        handler.HandleAsync(Arg.Any<QueuedMessage>(), Arg.Any<CancellationToken>())
            .Returns(call => call.Arg<QueuedMessage>().MessageId.Value == "a1"
                ? throw new InvalidOperationException("business rule broke")
                : ValueTask.FromResult<Reply?>(Reply.EchoOf(call.Arg<QueuedMessage>())));
        var fixture = new BatchFixture { ReplyHandler = handler };

        var result = await fixture.RunAsync([Message("a1", "A"), Message("a2", "A"), Message("b1", "B")]);

        Assert.Equal(["a1", "a2"], result.FailedIds());
        Assert.Equal(["b1"], fixture.Sent);
    }

    [Fact]
    public async Task A_message_the_reply_handler_can_never_process_is_reported_alone_and_its_group_goes_on()
    {
        var handler = Substitute.For<IReplyHandler>();
        handler.HandleAsync(Arg.Any<QueuedMessage>(), Arg.Any<CancellationToken>())
            .Returns(call => call.Arg<QueuedMessage>().MessageId.Value == "a1"
                ? throw new UnprocessableMessageException("quantity must be positive")
                : ValueTask.FromResult<Reply?>(Reply.EchoOf(call.Arg<QueuedMessage>())));
        var fixture = new BatchFixture { ReplyHandler = handler };

        var result = await fixture.RunAsync([Message("a1", "A"), Message("a2", "A"), Message("a3", "A"), Message("b1", "B")]);

        // Held back, a2 and a3 would be received again with a1 on every retry and dead-lettered with it (ADR-008).
        Assert.Equal(["a1"], result.FailedIds());
        Assert.Equal(["a2", "a3", "b1"], fixture.Sent.Order());
        Assert.Equal(3, result.Delivered);
        var error = Assert.Single(fixture.Logger.AtOrAbove(LogLevel.Error));
        Assert.Contains("quantity must be positive", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_the_unprocessable_exception_parks_alone_an_exception_wrapping_it_still_holds_the_group_back()
    {
        var handler = Substitute.For<IReplyHandler>();
        handler.HandleAsync(Arg.Any<QueuedMessage>(), Arg.Any<CancellationToken>())
            .Returns(call => call.Arg<QueuedMessage>().MessageId.Value == "a1"
                ? throw new InvalidOperationException("dependency failed", new UnprocessableMessageException("inner"))
                : ValueTask.FromResult<Reply?>(Reply.EchoOf(call.Arg<QueuedMessage>())));
        var fixture = new BatchFixture { ReplyHandler = handler };

        var result = await fixture.RunAsync([Message("a1", "A"), Message("a2", "A")]);

        Assert.Equal(["a1", "a2"], result.FailedIds());
        Assert.Empty(fixture.Sent);
    }

    [Fact]
    public async Task Failures_are_reported_in_batch_order_across_groups()
    {
        var fixture = new BatchFixture()
            .Script("b1", DeliveryResult.Transient("429"))
            .Script("a2", DeliveryResult.Transient("429"));

        var result = await fixture.RunAsync([Message("a1", "A"), Message("b1", "B"), Message("a2", "A"), Message("b2", "B"), Message("a3", "A")]);

        Assert.Equal(["b1", "a2", "b2", "a3"], result.FailedIds());
    }
}
