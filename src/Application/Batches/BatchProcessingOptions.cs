namespace SocketRelay.Application.Batches;

/// <summary>How <see cref="BatchProcessor"/> spends an invocation.</summary>
public sealed class BatchProcessingOptions
{
    /// <summary>How many message groups are processed at once. Messages inside a group always run one at a time.</summary>
    public int MaxConcurrentGroups { get; set; } = 10;

    /// <summary>
    /// Time kept free before the invocation deadline: no message starts and no retry waits past
    /// <c>deadline - DeadlineSafetyMargin</c>, leaving room to post the batch response. A Lambda that
    /// times out has the whole batch redelivered, including replies already sent.
    /// </summary>
    public TimeSpan DeadlineSafetyMargin { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first setting that is out of range.</summary>
    public void Validate()
    {
        if (MaxConcurrentGroups < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxConcurrentGroups), MaxConcurrentGroups, "must be at least 1");
        }

        if (DeadlineSafetyMargin < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(DeadlineSafetyMargin), DeadlineSafetyMargin, "must not be negative");
        }
    }
}
