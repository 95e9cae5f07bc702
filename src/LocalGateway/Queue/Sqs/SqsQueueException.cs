namespace SocketRelay.LocalGateway.Queue.Sqs;

/// <summary>
/// SQS refused a request (after the SDK's own retries of throttling and server errors).
/// <see cref="ErrorCode"/> is SQS's code, e.g. <c>AWS.SimpleQueueService.NonExistentQueue</c>.
/// </summary>
public sealed class SqsQueueException : Exception
{
    public SqsQueueException()
    {
    }

    public SqsQueueException(string message)
        : base(message)
    {
    }

    public SqsQueueException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public SqsQueueException(string message, string errorCode, Exception innerException)
        : base(message, innerException)
    {
        ErrorCode = errorCode;
    }

    public string? ErrorCode { get; }
}
