using SocketRelay.Application.Configuration;

namespace SocketRelay.LocalGateway.Queue;

/// <summary>Options of the embedded SQLite queue. The defaults are right for the local gateway.</summary>
public sealed class SqliteQueueOptions
{
    public const string DatabaseFileName = "queue.db";

    /// <summary>The directory holding <c>queue.db</c> and its lock file; created when missing.</summary>
    public string DataDirectory { get; set; } = ".socketrelay";

    /// <summary>
    /// Receives after which a message is moved to the dead-letter queue instead of being delivered
    /// again, as the redrive policy of an SQS queue (1–1000).
    /// </summary>
    public int MaxReceiveCount { get; set; } = 5;

    /// <summary>
    /// How often a long poll looks at the clock when nothing wakes it. A send, delete or visibility
    /// change wakes it at once; this only bounds how late an expired visibility timeout is noticed.
    /// </summary>
    public TimeSpan IdlePollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The <c>SenderId</c> attribute of every message (SQS puts the sender's principal there).</summary>
    public string SenderId { get; set; } = "AIDASOCKETRELAYLOCAL";

    public string DatabasePath => Path.GetFullPath(Path.Combine(DataDirectory, DatabaseFileName));

    /// <summary>Every setting that cannot work, by property name.</summary>
    public IEnumerable<OptionProblem> Problems()
    {
        if (string.IsNullOrWhiteSpace(DataDirectory))
        {
            yield return new(nameof(DataDirectory), "is required: the directory for queue.db and its lock file");
        }

        if (MaxReceiveCount is < 1 or > 1000)
        {
            yield return new(nameof(MaxReceiveCount), $"must be 1–1000 (was {MaxReceiveCount})");
        }

        if (IdlePollInterval <= TimeSpan.Zero)
        {
            yield return new(nameof(IdlePollInterval), $"must be positive (was {IdlePollInterval})");
        }

        if (string.IsNullOrWhiteSpace(SenderId))
        {
            yield return new(nameof(SenderId), "is required: the SenderId attribute of every message");
        }
    }

    /// <exception cref="InvalidOptionsException">Any of <see cref="Problems"/>, all listed.</exception>
    public void Validate() => InvalidOptionsException.ThrowIfAny(nameof(SqliteQueueOptions), Problems());
}
