using System.Diagnostics.CodeAnalysis;

namespace SocketRelay.LocalGateway.Queue;

/// <summary>
/// A queue with Amazon SQS FIFO semantics: strict order per message group, a group with a
/// message in flight delivers nothing more until that message is deleted or its visibility
/// timeout expires, a five-minute deduplication window, receive counts and redrive to a
/// dead-letter queue.
/// </summary>
[SuppressMessage("Naming", "CA1711", Justification = "It is a queue: the name says what it emulates.")]
public interface IFifoQueue
{
    /// <summary>
    /// Enqueues a message. Returns once the message is stored; a message with a deduplication id
    /// seen in the last five minutes is accepted but not enqueued again.
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
}
