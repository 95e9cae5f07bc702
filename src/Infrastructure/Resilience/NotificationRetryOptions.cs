using SocketRelay.Application.Configuration;

namespace SocketRelay.Infrastructure.Resilience;

/// <summary>How replies are retried when the <c>@connections</c> API is throttled, failing or slow.</summary>
public sealed class NotificationRetryOptions
{
    public const string SectionName = "Retry";

    /// <summary>Retries after the first attempt (so at most <c>MaxRetryAttempts + 1</c> posts).</summary>
    public int MaxRetryAttempts { get; set; } = 4;

    /// <summary>The first back-off; it doubles on each retry.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>No back-off is longer than this.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Randomises each back-off between half and all of its value, so throttled senders do not retry in step.</summary>
    public bool UseJitter { get; set; } = true;

    /// <summary>
    /// The source of jitter: returns a value in [0, 1) that places a back-off between half (0) and all (1) of
    /// its value. <see cref="Random.Shared"/> by default; replace it to make back-offs reproducible, as Polly's
    /// <c>RetryStrategyOptions.Randomizer</c> allows.
    /// </summary>
    public Func<double> Randomizer { get; set; } = Random.Shared.NextDouble;

    /// <summary>One post that takes longer is abandoned (and retried if time allows).</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>A retry is only started when at least this much time is left before the send-by instant.</summary>
    public TimeSpan MinimumAttemptTime { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Every setting that is out of range, by property name.</summary>
    public IEnumerable<OptionProblem> Problems()
    {
        if (MaxRetryAttempts < 0)
        {
            yield return new(nameof(MaxRetryAttempts), $"must not be negative (was {MaxRetryAttempts})");
        }

        if (BaseDelay <= TimeSpan.Zero)
        {
            yield return new(nameof(BaseDelay), $"must be positive (was {BaseDelay})");
        }

        if (MaxDelay < BaseDelay)
        {
            yield return new(nameof(MaxDelay), $"must be at least {nameof(BaseDelay)} ({BaseDelay}) (was {MaxDelay})");
        }

        if (AttemptTimeout <= TimeSpan.Zero)
        {
            yield return new(nameof(AttemptTimeout), $"must be positive (was {AttemptTimeout})");
        }

        if (MinimumAttemptTime < TimeSpan.Zero)
        {
            yield return new(nameof(MinimumAttemptTime), $"must not be negative (was {MinimumAttemptTime})");
        }

        if (Randomizer is null)
        {
            yield return new(nameof(Randomizer), "is required (the source of jitter draws in [0, 1))");
        }
    }

    /// <exception cref="InvalidOptionsException">Any of <see cref="Problems"/>, all listed.</exception>
    public void Validate() => InvalidOptionsException.ThrowIfAny(nameof(NotificationRetryOptions), Problems());
}
