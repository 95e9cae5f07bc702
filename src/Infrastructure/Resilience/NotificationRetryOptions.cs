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

    public void Validate()
    {
        Require(MaxRetryAttempts >= 0, nameof(MaxRetryAttempts), MaxRetryAttempts, "must not be negative");
        Require(BaseDelay > TimeSpan.Zero, nameof(BaseDelay), BaseDelay, "must be positive");
        Require(MaxDelay >= BaseDelay, nameof(MaxDelay), MaxDelay, "must be at least BaseDelay");
        Require(AttemptTimeout > TimeSpan.Zero, nameof(AttemptTimeout), AttemptTimeout, "must be positive");
        Require(MinimumAttemptTime >= TimeSpan.Zero, nameof(MinimumAttemptTime), MinimumAttemptTime, "must not be negative");
        ArgumentNullException.ThrowIfNull(Randomizer, $"{SectionName}:{nameof(Randomizer)}");
    }

    private static void Require(bool condition, string name, object value, string message)
    {
        if (!condition)
        {
            throw new ArgumentOutOfRangeException($"{SectionName}:{name}", value, message);
        }
    }
}
