namespace SocketRelay.LocalGateway.Queue;

/// <summary>A message to enqueue. The body is stored and returned byte for byte.</summary>
public sealed record OutgoingMessage(
    string Body,
    string MessageGroupId,
    string MessageDeduplicationId,
    IReadOnlyDictionary<string, string> MessageAttributes);

/// <param name="MessageId">The id of the stored message; for a duplicate, the id of the original.</param>
/// <param name="SequenceNumber">The message's position in the queue, increasing with every accepted message.</param>
/// <param name="IsDuplicate">True when the deduplication id was seen in the message's group in the last five minutes.</param>
public sealed record SendResult(string MessageId, string SequenceNumber, bool IsDuplicate);

/// <summary>A received message, with the attributes SQS puts on a Lambda event record.</summary>
/// <param name="ReceiptHandle">Opaque; new on every receive. Only the latest one deletes the message.</param>
/// <param name="SentTimestamp">Unix time in milliseconds.</param>
/// <param name="ApproximateFirstReceiveTimestamp">Unix time in milliseconds.</param>
public sealed record ReceivedMessage(
    string MessageId,
    string ReceiptHandle,
    string Body,
    string MessageGroupId,
    string MessageDeduplicationId,
    IReadOnlyDictionary<string, string> MessageAttributes,
    int ApproximateReceiveCount,
    long SentTimestamp,
    long ApproximateFirstReceiveTimestamp,
    string SequenceNumber,
    string SenderId);

/// <param name="Accepted">Messages ever enqueued (duplicates excluded).</param>
/// <param name="Completed">Messages ever deleted by a consumer.</param>
/// <param name="QueueDepth">Messages visible and waiting.</param>
/// <param name="InFlight">Messages received and neither deleted nor expired.</param>
/// <param name="DeadLetterQueueDepth">Messages moved to the dead-letter queue.</param>
public sealed record QueueStats(long Accepted, long Completed, long QueueDepth, long InFlight, long DeadLetterQueueDepth);

/// <summary>A message moved to the dead-letter queue.</summary>
/// <param name="SentTimestamp">Unix time in milliseconds.</param>
/// <param name="DeadLetteredTimestamp">Unix time in milliseconds.</param>
/// <param name="Reason">Why: its receive count, and its last failure when the gateway saw it (e.g. the <c>@connections</c> 413).</param>
public sealed record DeadLetter(
    string MessageId,
    string Body,
    string MessageGroupId,
    string MessageDeduplicationId,
    IReadOnlyDictionary<string, string> MessageAttributes,
    int ReceiveCount,
    long SentTimestamp,
    long DeadLetteredTimestamp,
    string Reason);
