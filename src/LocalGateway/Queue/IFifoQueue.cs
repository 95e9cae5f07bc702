using System.Diagnostics.CodeAnalysis;

namespace SocketRelay.LocalGateway.Queue;

/// <summary>
/// A queue with Amazon SQS FIFO semantics: strict order per message group, a group with a
/// message in flight delivers nothing more until that message is deleted or its visibility
/// timeout expires, a five-minute deduplication window per message group (the deployed queue's
/// <c>DeduplicationScope: messageGroup</c>), receive counts and redrive to a dead-letter queue.
/// </summary>
[SuppressMessage("Naming", "CA1711", Justification = "It is a queue: the name says what it emulates.")]
public interface IFifoQueue
{
    /// <summary>
    /// Enqueues a message. Returns once the message is stored; a message whose deduplication id was
    /// seen in its message group in the last five minutes is accepted but not enqueued again.
    /// </summary>
    Task<SendResult> SendAsync(OutgoingMessage message, CancellationToken cancellationToken);

    /// <summary>
    /// Receives up to <paramref name="maxMessages"/> (1–10) messages, hiding each for
    /// <paramref name="visibilityTimeout"/>. Waits up to <paramref name="waitTime"/> for a message
    /// when none is available (long polling); returns an empty list when none arrives.
    /// </summary>
    Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(
        int maxMessages, TimeSpan visibilityTimeout, TimeSpan waitTime, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes the message received with <paramref name="receiptHandle"/>. Returns false when the
    /// handle is unknown or stale (the message has been received again since).
    /// </summary>
    Task<bool> DeleteAsync(string receiptHandle, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes several received messages at once (SQS's <c>DeleteMessageBatch</c>); the result says,
    /// handle by handle, what <see cref="DeleteAsync"/> would have returned. A queue that can do it in
    /// one write overrides this; by default the messages are deleted one after another.
    /// </summary>
    async Task<IReadOnlyList<bool>> DeleteBatchAsync(IReadOnlyList<string> receiptHandles, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(receiptHandles);
        var deleted = new bool[receiptHandles.Count];
        for (var i = 0; i < deleted.Length; i++)
        {
            deleted[i] = await DeleteAsync(receiptHandles[i], cancellationToken);
        }

        return deleted;
    }

    Task<QueueStats> GetStatsAsync(CancellationToken cancellationToken);

    /// <summary>Lists up to <paramref name="maxCount"/> dead letters, oldest first (for the developer console).</summary>
    /// <exception cref="NotSupportedException">The backend keeps its dead letters elsewhere (Amazon SQS: read the DLQ in AWS).</exception>
    Task<IReadOnlyList<DeadLetter>> ListDeadLettersAsync(int maxCount, CancellationToken cancellationToken) =>
        throw new NotSupportedException(DeadLetterOperationsUnsupported);

    /// <summary>
    /// Moves dead letters back to the end of the queue (the DLQ redrive of Amazon SQS's console):
    /// every dead letter, oldest first, or only <paramref name="messageId"/> when given. A redriven
    /// message keeps its id, body, group and attributes; its receive count starts again at 0.
    /// Returns the ids moved, in queue order (empty when none matched).
    /// </summary>
    /// <exception cref="NotSupportedException">The backend cannot redrive from the gateway (Amazon SQS: use its console or <c>StartMessageMoveTask</c>).</exception>
    Task<IReadOnlyList<string>> RedriveDeadLettersAsync(string? messageId, CancellationToken cancellationToken) =>
        throw new NotSupportedException(DeadLetterOperationsUnsupported);

    /// <summary>Deletes one dead letter for good. Returns false when no dead letter has that id.</summary>
    /// <exception cref="NotSupportedException">The backend cannot delete dead letters from the gateway.</exception>
    Task<bool> DeleteDeadLetterAsync(string messageId, CancellationToken cancellationToken) =>
        throw new NotSupportedException(DeadLetterOperationsUnsupported);

    /// <summary>Why the default list, redrive and delete refuse: the backend keeps its dead letters elsewhere.</summary>
    const string DeadLetterOperationsUnsupported =
        "This queue backend does not list, redrive or delete dead letters from the gateway; use Amazon SQS's console (\"Start DLQ redrive\") or its StartMessageMoveTask, ReceiveMessage and DeleteMessage APIs on the dead-letter queue.";
}
