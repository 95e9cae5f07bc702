namespace SocketRelay.LocalGateway.Queue;

/// <summary>The limits SQS puts on requests, checked before anything touches the store.</summary>
internal static class QueueArguments
{
    public static void ValidateVisibilityTimeout(TimeSpan visibilityTimeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(visibilityTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(visibilityTimeout, SqliteFifoQueue.MaxVisibilityTimeout);
    }

    public static void Validate(OutgoingMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentException.ThrowIfNullOrEmpty(message.Body, nameof(message));
        ValidateId(message.MessageGroupId, nameof(OutgoingMessage.MessageGroupId));
        ValidateId(message.MessageDeduplicationId, nameof(OutgoingMessage.MessageDeduplicationId));
        ArgumentNullException.ThrowIfNull(message.MessageAttributes, nameof(message));
    }

    public static void ValidateReceive(int maxMessages, TimeSpan visibilityTimeout, TimeSpan waitTime)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessages, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxMessages, SqliteFifoQueue.MaxMessagesPerReceive);
        ValidateVisibilityTimeout(visibilityTimeout);
        ArgumentOutOfRangeException.ThrowIfLessThan(waitTime, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(waitTime, SqliteFifoQueue.MaxWaitTime);
    }

    private static void ValidateId(string value, string name)
    {
        if (string.IsNullOrEmpty(value) || value.Length > SqliteFifoQueue.MaxIdLength)
        {
            throw new ArgumentException($"{name} must be 1 to {SqliteFifoQueue.MaxIdLength} characters.");
        }
    }
}
