namespace SocketRelay.Application.Ports;

/// <summary>
/// Thrown by an <see cref="IReplyHandler"/> for a message it can never process, however often it is
/// retried: bad input for the business logic (a body that is not the expected JSON, a missing or
/// out-of-range field, an unknown command). <c>BatchProcessor</c> reports that message failed
/// <em>alone</em>, as it does for a 413 from <c>@connections</c>: the queue's redrive policy parks it
/// in the dead-letter queue after <c>maxReceiveCount</c> receives, and the rest of its message group
/// goes on (ADR-008). Any other exception means "may pass" and holds the rest of the group back.
/// </summary>
/// <remarks>
/// The <see cref="Exception.Message"/> is logged at Error level (without the body): say what is wrong
/// with the input, not what the input is.
/// </remarks>
public sealed class UnprocessableMessageException : Exception
{
    public UnprocessableMessageException()
    {
    }

    public UnprocessableMessageException(string message)
        : base(message)
    {
    }

    public UnprocessableMessageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
