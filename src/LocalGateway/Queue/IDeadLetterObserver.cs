namespace SocketRelay.LocalGateway.Queue;

/// <summary>What a queue tells (and asks) the gateway when it moves a message to its dead-letter queue.</summary>
public interface IDeadLetterObserver
{
    /// <summary>
    /// The message's last known failure, in one sentence (e.g. <c>@connections answered 413</c>), to
    /// append to its dead-letter reason; null when unknown. Called while the queue holds its lock: keep it cheap.
    /// </summary>
    string? LastFailure(string messageId);

    /// <summary>The message was moved to the dead-letter queue at <paramref name="at"/> (Unix ms) with <paramref name="reason"/>.</summary>
    void DeadLettered(string messageId, string reason, long at);
}
