using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;
using NSubstitute.ExceptionExtensions;
using SocketRelay.Application.Configuration;
using SocketRelay.Application.Ports;
using SocketRelay.Domain.Delivery;
using SocketRelay.Domain.Identifiers;
using SocketRelay.Domain.Messages;
using SocketRelay.Infrastructure.Resilience;

namespace SocketRelay.Infrastructure.Tests.Resilience;

public class ResilientConnectionNotifierTests
{
    private static readonly Reply AReply = new(ConnectionId.Create("c"), RequestId.Create("r"), "{}");

    /// <summary>
    /// The fake clock moves in 10 ms steps while the send runs; on a loaded machine a few steps can
    /// pass between the cut-off firing and the send returning, so "by send-by" allows that much.
    /// </summary>
    private static readonly TimeSpan ClockStepSlack = TimeSpan.FromMilliseconds(100);

    private readonly FakeTimeProvider _time = new();
    private readonly IConnectionNotifier _inner = Substitute.For<IConnectionNotifier>();
    private readonly List<DateTimeOffset> _attempts = [];

    private readonly NotificationRetryOptions _options = new()
    {
        MaxRetryAttempts = 4,
        BaseDelay = TimeSpan.FromMilliseconds(100),
        MaxDelay = TimeSpan.FromSeconds(2),
        UseJitter = false,
        AttemptTimeout = TimeSpan.FromSeconds(1),
        MinimumAttemptTime = TimeSpan.FromMilliseconds(100),
    };

    private void Answer(params DeliveryResult[] results)
    {
        var queue = new Queue<DeliveryResult>(results);
        _inner.SendAsync(Arg.Any<Reply>(), Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>()).Returns(_ =>
        {
            _attempts.Add(_time.GetUtcNow());
            return ValueTask.FromResult(queue.Count > 1 ? queue.Dequeue() : queue.Peek());
        });
    }

    /// <summary>Runs the send while moving the fake clock forward in small steps, as real time would.</summary>
    private async Task<(DeliveryResult Result, DateTimeOffset FinishedAt)> SendAsync(DateTimeOffset? sendBy = null, CancellationToken cancellationToken = default)
    {
        var notifier = new ResilientConnectionNotifier(_inner, _options, _time, NullLogger<ResilientConnectionNotifier>.Instance);
        var task = notifier.SendAsync(AReply, sendBy ?? _time.GetUtcNow().AddMinutes(1), cancellationToken).AsTask();
        for (var steps = 0; !task.IsCompleted && steps < 100_000; steps++)
        {
            await Task.Delay(1, CancellationToken.None);
            _time.Advance(TimeSpan.FromMilliseconds(10));
        }

        var result = await task.WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
        return (result, _time.GetUtcNow());
    }

    private static async ValueTask<DeliveryResult> HangAsync(CancellationToken cancellationToken)
    {
        await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
        return DeliveryResult.Delivered;
    }

    private TimeSpan[] Gaps() => [.. _attempts.Zip(_attempts.Skip(1), (a, b) => b - a)];

    [Fact]
    public async Task A_transient_failure_is_retried_until_delivered()
    {
        Answer(DeliveryResult.Transient("429"), DeliveryResult.Transient("503"), DeliveryResult.Delivered);

        var (result, _) = await SendAsync();

        Assert.Equal(DeliveryOutcome.Delivered, result.Outcome);
        Assert.Equal(3, _attempts.Count);
    }

    [Theory]
    [InlineData(DeliveryOutcome.Delivered)]
    [InlineData(DeliveryOutcome.Gone)]
    [InlineData(DeliveryOutcome.FailedPermanent)]
    public async Task Outcomes_that_retrying_cannot_change_are_returned_after_one_attempt(DeliveryOutcome outcome)
    {
        Answer(new DeliveryResult(outcome, "x"));

        var (result, _) = await SendAsync();

        Assert.Equal(outcome, result.Outcome);
        Assert.Single(_attempts);
    }

    [Fact]
    public async Task Back_off_doubles_from_the_base_delay_up_to_the_maximum()
    {
        _options.MaxRetryAttempts = 6;
        _options.MaxDelay = TimeSpan.FromMilliseconds(500);
        Answer(DeliveryResult.Transient("500"));

        var (result, _) = await SendAsync();

        Assert.Equal(DeliveryOutcome.FailedTransient, result.Outcome);
        Assert.Equal(7, _attempts.Count);
        var expected = new[] { 100, 200, 400, 500, 500, 500 };
        Assert.All(Gaps().Zip(expected), pair => Assert.InRange(pair.First.TotalMilliseconds, pair.Second, pair.Second + 20));
    }

    [Fact]
    public async Task Jitter_places_each_back_off_between_half_and_all_of_its_exponential_value_as_the_randomizer_draws()
    {
        var draws = new Queue<double>([0.0, 1.0, 0.5, 0.25]);
        _options.UseJitter = true;
        _options.Randomizer = draws.Dequeue;
        Answer(DeliveryResult.Transient("429"));

        await SendAsync();

        Assert.Empty(draws);
        var expected = new[] { 50, 200, 300, 500 }; // 100 × (½ + ½·0), 200 × (½ + ½·1), 400 × (½ + ½·0.5), 800 × (½ + ½·0.25)
        Assert.Equal(expected.Length, Gaps().Length);
        Assert.All(Gaps().Zip(expected), pair => Assert.InRange(pair.First.TotalMilliseconds, pair.Second, pair.Second + 20));
    }

    [Fact]
    public void Jitter_draws_from_a_shared_random_source_unless_told_otherwise()
    {
        var draws = Enumerable.Range(0, 20).Select(_ => new NotificationRetryOptions().Randomizer()).ToArray();

        Assert.All(draws, d => Assert.InRange(d, 0.0, 1.0));
        Assert.True(draws.Distinct().Count() > 1, "every draw was the same value");
    }

    [Fact]
    public async Task Connection_errors_are_retried_and_a_last_one_becomes_a_transient_failure()
    {
        _inner.SendAsync(Arg.Any<Reply>(), Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>())
            .Returns(_ => { _attempts.Add(_time.GetUtcNow()); return ValueTask.FromException<DeliveryResult>(new HttpRequestException("refused")); });

        var (result, _) = await SendAsync();

        Assert.Equal(5, _attempts.Count);
        Assert.Equal(DeliveryOutcome.FailedTransient, result.Outcome);
        Assert.Contains("refused", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_attempt_that_exceeds_its_timeout_is_abandoned_and_retried()
    {
        var calls = 0;
        _inner.SendAsync(Arg.Any<Reply>(), Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>()).Returns(call =>
        {
            _attempts.Add(_time.GetUtcNow());
            return Interlocked.Increment(ref calls) == 1 ? HangAsync(call.Arg<CancellationToken>()) : ValueTask.FromResult(DeliveryResult.Delivered);
        });

        var (result, _) = await SendAsync();

        Assert.Equal(DeliveryOutcome.Delivered, result.Outcome);
        Assert.Equal(2, _attempts.Count);
        Assert.InRange(Gaps()[0].TotalMilliseconds, 1000, 1200); // the 1 s attempt timeout, then the 100 ms back-off
    }

    [Fact]
    public async Task Retries_never_run_past_the_send_by_instant()
    {
        _options.MaxRetryAttempts = 10;
        Answer(DeliveryResult.Transient("429"));
        var sendBy = _time.GetUtcNow().AddMilliseconds(1000);

        var (result, finishedAt) = await SendAsync(sendBy);

        Assert.Equal(DeliveryOutcome.FailedTransient, result.Outcome);
        Assert.InRange(_attempts.Count, 2, 10);
        Assert.All(_attempts, at => Assert.True(at <= sendBy - _options.MinimumAttemptTime, $"attempt at {at:O} is too close to {sendBy:O}"));
        Assert.True(finishedAt <= sendBy + ClockStepSlack, $"finished at {finishedAt:O}, send-by {sendBy:O}");
    }

    [Fact]
    public async Task The_attempt_timeout_is_cut_to_end_at_the_send_by_instant()
    {
        _inner.SendAsync(Arg.Any<Reply>(), Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>()).Returns(call => HangAsync(call.Arg<CancellationToken>()));
        var sendBy = _time.GetUtcNow().AddMilliseconds(300);

        var (result, finishedAt) = await SendAsync(sendBy);

        Assert.Equal(DeliveryOutcome.FailedTransient, result.Outcome);
        Assert.True(finishedAt <= sendBy + ClockStepSlack, $"finished at {finishedAt:O}, send-by {sendBy:O}");
    }

    [Fact]
    public async Task Cancellation_by_the_caller_propagates()
    {
        using var cancellation = new CancellationTokenSource();
        _inner.SendAsync(Arg.Any<Reply>(), Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>()).Returns(_ =>
        {
            cancellation.Cancel();
            return ValueTask.FromResult(DeliveryResult.Transient("500"));
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => SendAsync(cancellationToken: cancellation.Token));
    }

    [Fact]
    public async Task An_unexpected_exception_from_the_inner_notifier_is_not_retried_and_surfaces()
    {
        _inner.SendAsync(Arg.Any<Reply>(), Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>()).ThrowsAsync(new InvalidOperationException("bug"));

        await Assert.ThrowsAsync<InvalidOperationException>(() => SendAsync());
        await _inner.Received(1).SendAsync(Arg.Any<Reply>(), Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public void Invalid_options_are_refused_with_the_setting_named()
    {
        _options.BaseDelay = TimeSpan.Zero;

        _options.AttemptTimeout = TimeSpan.FromSeconds(-1);

        var error = Assert.Throws<InvalidOptionsException>(() => new ResilientConnectionNotifier(_inner, _options, _time, NullLogger<ResilientConnectionNotifier>.Instance));
        Assert.Equal(["BaseDelay", "AttemptTimeout"], error.Problems.Select(p => p.Name));
    }
}
