using Microsoft.Extensions.Time.Testing;
using SocketRelay.Domain.Delivery;
using static SocketRelay.Application.UnitTests.Batches.BatchFixture;

namespace SocketRelay.Application.UnitTests.Batches;

public class BatchProcessorDeadlineTests
{
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task A_deadline_already_inside_the_safety_margin_reports_every_message_and_starts_none()
    {
        var time = new FakeTimeProvider();
        var fixture = new BatchFixture { Time = time };
        fixture.Options.DeadlineSafetyMargin = Margin;

        var result = await fixture.Processor().ProcessAsync(
            [Message("a1", "A"), Message("b1", "B")], time.GetUtcNow() + Margin - TimeSpan.FromMilliseconds(1));

        Assert.Equal(["a1", "b1"], result.FailedIds());
        Assert.Empty(fixture.Sent);
    }

    [Fact]
    public async Task Messages_not_started_when_the_deadline_nears_are_reported_instead_of_started()
    {
        // The clock jumps without firing timers, so only the check made before each message can stop it.
        var time = new JumpingClock();
        var fixture = new BatchFixture { Time = time };
        fixture.Options.DeadlineSafetyMargin = Margin;
        var deadline = time.GetUtcNow().AddSeconds(10);
        fixture.Script("m1", _ =>
        {
            time.Jump = TimeSpan.FromSeconds(8.5);
            return ValueTask.FromResult(DeliveryResult.Delivered);
        });

        var result = await fixture.Processor().ProcessAsync([Message("m1", "g"), Message("m2", "g"), Message("m3", "g")], deadline);

        Assert.Equal(["m2", "m3"], result.FailedIds());
        Assert.Equal(["m1"], fixture.Sent);
        Assert.Equal(1, result.Delivered);
    }

    [Fact]
    public async Task A_send_in_flight_at_the_cutoff_is_cancelled_and_reported()
    {
        var time = new FakeTimeProvider();
        var fixture = new BatchFixture { Time = time };
        fixture.Options.DeadlineSafetyMargin = Margin;
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        fixture.Script("m1", async token =>
        {
            started.SetResult();
            await Task.Delay(Timeout.InfiniteTimeSpan, token);
            return DeliveryResult.Delivered;
        });

        var processing = fixture.Processor().ProcessAsync([Message("m1", "g"), Message("m2", "g")], time.GetUtcNow().AddSeconds(10));
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        time.Advance(TimeSpan.FromSeconds(8));
        var result = await processing.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(["m1", "m2"], result.FailedIds());
        Assert.Equal(["m1"], fixture.Sent);
    }

    [Fact]
    public async Task The_processor_returns_at_the_cutoff_even_when_a_send_ignores_cancellation()
    {
        var time = new FakeTimeProvider();
        var fixture = new BatchFixture { Time = time };
        fixture.Options.DeadlineSafetyMargin = Margin;
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        fixture.Options.MaxConcurrentGroups = 1; // group B finishes before group A's send hangs
        var never = new TaskCompletionSource<DeliveryResult>();
        fixture.Script("a1", _ =>
        {
            started.SetResult();
            return new ValueTask<DeliveryResult>(never.Task);
        });

        var processing = fixture.Processor().ProcessAsync([Message("b1", "B"), Message("a1", "A"), Message("a2", "A")], time.GetUtcNow().AddSeconds(10));
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        time.Advance(TimeSpan.FromSeconds(8));
        var result = await processing.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(["a1", "a2"], result.FailedIds());
        Assert.Equal(1, result.Delivered);
        never.SetResult(DeliveryResult.Delivered);
    }

    [Fact]
    public async Task Cancellation_by_the_caller_stops_starting_messages_and_reports_what_is_not_done()
    {
        using var cancellation = new CancellationTokenSource();
        var fixture = new BatchFixture();
        fixture.Script("m2", token =>
        {
            cancellation.Cancel();
            return ValueTask.FromResult(DeliveryResult.Delivered);
        });

        var result = await fixture.RunAsync([Message("m1", "g"), Message("m2", "g"), Message("m3", "g"), Message("m4", "g")], cancellation.Token);

        // m2 was in flight when the token was cancelled: reported or not, it is never lost.
        Assert.Equal(["m1", "m2"], fixture.Sent);
        Assert.DoesNotContain("m1", result.FailedIds());
        Assert.Equal(["m3", "m4"], result.FailedIds().Where(id => id != "m2"));
    }

    [Fact]
    public async Task A_batch_started_with_a_cancelled_token_reports_everything_and_sends_nothing()
    {
        var fixture = new BatchFixture();

        var result = await fixture.RunAsync([Message("m1", "g"), Message("n1", "h")], new CancellationToken(canceled: true));

        Assert.Equal(["m1", "n1"], result.FailedIds());
        Assert.Empty(fixture.Sent);
    }

    private sealed class JumpingClock : FakeTimeProvider
    {
        public TimeSpan Jump { get; set; }

        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Jump;
    }
}
