using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using SocketRelay.Application.Ports;
using SocketRelay.Domain.Delivery;
using SocketRelay.Domain.Messages;

namespace SocketRelay.Infrastructure.Resilience;

/// <summary>
/// Retries transient delivery failures (429, 5xx, time-outs, connection errors) of an inner
/// <see cref="IConnectionNotifier"/> with exponential back-off, jitter and a per-attempt time-out,
/// and never past the caller's send-by instant: a back-off is shortened to fit, a retry that cannot
/// fit is not started, and the last attempt's time-out ends at send-by.
/// </summary>
public sealed partial class ResilientConnectionNotifier : IConnectionNotifier
{
    private static readonly ResiliencePropertyKey<DateTimeOffset> SendByKey = new("socketrelay.send-by");

    private readonly IConnectionNotifier _inner;
    private readonly NotificationRetryOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<ResilientConnectionNotifier> _logger;
    private readonly ResiliencePipeline<DeliveryResult> _pipeline;

    public ResilientConnectionNotifier(IConnectionNotifier inner, NotificationRetryOptions options, TimeProvider timeProvider, ILogger<ResilientConnectionNotifier> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _inner = inner;
        _options = options;
        _timeProvider = timeProvider;
        _logger = logger;
        _pipeline = BuildPipeline();
    }

    public async ValueTask<DeliveryResult> SendAsync(Reply reply, DateTimeOffset sendBy, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(SendByKey, sendBy);
        try
        {
            var outcome = await _pipeline.ExecuteOutcomeAsync(
                static async (ctx, state) =>
                {
                    try
                    {
                        var sendBy = ctx.Properties.GetValue(SendByKey, default);
                        return Outcome.FromResult(await state._inner.SendAsync(state.reply, sendBy, ctx.CancellationToken));
                    }
                    catch (Exception ex)
                    {
                        return Outcome.FromException<DeliveryResult>(ex);
                    }
                },
                context,
                (_inner, reply));

            return outcome.Exception switch
            {
                null => outcome.Result,
                TimeoutRejectedException timeout => DeliveryResult.Transient($"no answer within {timeout.Timeout.TotalMilliseconds:0} ms"),
                HttpRequestException http => DeliveryResult.Transient($"connection error: {http.Message}"),
                var other => Rethrow(other),
            };
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private static DeliveryResult Rethrow(Exception exception)
    {
        ExceptionDispatchInfo.Throw(exception);
        return default;
    }

    private static bool IsTransient(Outcome<DeliveryResult> outcome) => outcome.Exception switch
    {
        null => outcome.Result.Outcome == DeliveryOutcome.FailedTransient,
        TimeoutRejectedException or HttpRequestException => true,
        _ => false,
    };

    private TimeSpan TimeLeft(ResilienceContext context) =>
        context.Properties.GetValue(SendByKey, DateTimeOffset.MaxValue) - _timeProvider.GetUtcNow();

    private ResiliencePipeline<DeliveryResult> BuildPipeline() =>
        new ResiliencePipelineBuilder<DeliveryResult> { TimeProvider = _timeProvider }
            .AddRetry(new RetryStrategyOptions<DeliveryResult>
            {
                MaxRetryAttempts = Math.Max(1, _options.MaxRetryAttempts),
                ShouldHandle = args => ValueTask.FromResult(
                    _options.MaxRetryAttempts > 0 && IsTransient(args.Outcome) &&
                    TimeLeft(args.Context) >= _options.MinimumAttemptTime + _options.BaseDelay),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(Backoff(args.AttemptNumber, TimeLeft(args.Context))),
                OnRetry = args =>
                {
                    LogRetrying(args.AttemptNumber + 1, args.RetryDelay.TotalMilliseconds, Describe(args.Outcome));
                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(new TimeoutStrategyOptions
            {
                TimeoutGenerator = args =>
                {
                    var left = TimeLeft(args.Context);
                    return ValueTask.FromResult(left < _options.AttemptTimeout ? TimeSpan.FromTicks(Math.Max(left.Ticks, TimeSpan.TicksPerMillisecond)) : _options.AttemptTimeout);
                },
            })
            .Build();

    /// <summary>Exponential back-off (with "equal jitter" when enabled), cut so the next attempt still fits before send-by.</summary>
    private TimeSpan Backoff(int attempt, TimeSpan timeLeft)
    {
        var exponential = _options.BaseDelay * Math.Pow(2, Math.Min(attempt, 30));
        var delay = exponential < _options.MaxDelay ? exponential : _options.MaxDelay;
        if (_options.UseJitter)
        {
            delay = (delay / 2) + (delay / 2 * Math.Clamp(_options.Randomizer(), 0.0, 1.0));
        }

        var budget = timeLeft - _options.MinimumAttemptTime;
        return delay < budget ? delay : (budget > TimeSpan.Zero ? budget : TimeSpan.Zero);
    }

    private static string Describe(Outcome<DeliveryResult> outcome) =>
        outcome.Exception is { } ex ? $"{ex.GetType().Name}: {ex.Message}" : $"{outcome.Result.Outcome}: {outcome.Result.Detail}";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reply not delivered ({reason}); retry {attempt} in {delay_ms} ms")]
    private partial void LogRetrying(int attempt, double delay_ms, string reason);
}
