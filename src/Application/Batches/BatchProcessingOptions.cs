using SocketRelay.Application.Configuration;

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

    /// <summary>Every setting that is out of range, by property name.</summary>
    public IEnumerable<OptionProblem> Problems()
    {
        if (MaxConcurrentGroups < 1)
        {
            yield return new(nameof(MaxConcurrentGroups), $"must be at least 1 (was {MaxConcurrentGroups})");
        }

        if (DeadlineSafetyMargin < TimeSpan.Zero)
        {
            yield return new(nameof(DeadlineSafetyMargin), $"must not be negative (was {DeadlineSafetyMargin})");
        }
    }

    /// <exception cref="InvalidOptionsException">Any of <see cref="Problems"/>, all listed.</exception>
    public void Validate() => InvalidOptionsException.ThrowIfAny(nameof(BatchProcessingOptions), Problems());
}
