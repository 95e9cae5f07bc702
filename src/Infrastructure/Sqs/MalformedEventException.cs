using SocketRelay.Infrastructure.LambdaRuntime;

namespace SocketRelay.Infrastructure.Sqs;

/// <summary>
/// The invocation's event cannot be processed at all; the runtime reports it as an invocation error
/// of type <see cref="ErrorTypeName"/>.
/// </summary>
public sealed class MalformedEventException : InvocationErrorException
{
    /// <summary>The error type posted to the Runtime API.</summary>
    public const string ErrorTypeName = "SocketRelay.MalformedEvent";

    public MalformedEventException()
        : base(ErrorTypeName, "the event is malformed")
    {
    }

    public MalformedEventException(string message)
        : base(ErrorTypeName, message)
    {
    }

    public MalformedEventException(string message, Exception innerException)
        : base(ErrorTypeName, message, innerException)
    {
    }
}
