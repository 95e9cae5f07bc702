using SocketRelay.Domain.Identifiers;

namespace SocketRelay.Application.Batches;

/// <summary>
/// The outcome of one batch. <see cref="FailedMessageIds"/> is what the function reports as
/// <c>batchItemFailures</c>, in batch order; every other message is done and will be deleted.
/// <see cref="Parked"/> counts the failed messages that can never succeed (ADR-008).
/// </summary>
public sealed record BatchResult(IReadOnlyList<MessageId> FailedMessageIds, int Delivered, int Gone, int Unanswered, int Parked)
{
    public static BatchResult Empty { get; } = new([], 0, 0, 0, 0);

    /// <summary>Messages that are done: delivered, their client gone, or needing no reply.</summary>
    public int Completed => Delivered + Gone + Unanswered;
}
