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

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(DataDirectory);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxReceiveCount, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxReceiveCount, 1000);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(IdlePollInterval, TimeSpan.Zero);
        ArgumentException.ThrowIfNullOrWhiteSpace(SenderId);
    }
}
