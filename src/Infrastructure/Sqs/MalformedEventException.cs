namespace SocketRelay.Infrastructure.Sqs;

/// <summary>The invocation's event cannot be processed at all; the runtime reports it as an invocation error.</summary>
public sealed class MalformedEventException : Exception
{
    public MalformedEventException()
    {
    }

    public MalformedEventException(string message)
        : base(message)
    {
    }

    public MalformedEventException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
