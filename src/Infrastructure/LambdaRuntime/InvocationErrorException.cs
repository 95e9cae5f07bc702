namespace SocketRelay.Infrastructure.LambdaRuntime;

/// <summary>
/// An invocation the handler rejects as a whole: <see cref="LambdaRuntimeLoop"/> posts it to
/// <c>…/invocation/{id}/error</c> with <see cref="ErrorType"/> in <c>Lambda-Runtime-Function-Error-Type</c>
/// and <see cref="Exception.Message"/> as <c>errorMessage</c>, logs one line, and serves the next event.
/// </summary>
public class InvocationErrorException : Exception
{
    public InvocationErrorException()
        : this("Runtime.Unhandled", "the invocation failed")
    {
    }

    public InvocationErrorException(string message)
        : this("Runtime.Unhandled", message)
    {
    }

    public InvocationErrorException(string message, Exception innerException)
        : this("Runtime.Unhandled", message, innerException)
    {
    }

    /// <param name="errorType">The Lambda error type, e.g. <c>SocketRelay.MalformedEvent</c>.</param>
    /// <param name="message">What is wrong, without the payload.</param>
    /// <param name="innerException">The cause, if any.</param>
    public InvocationErrorException(string errorType, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(errorType);
        ErrorType = errorType;
    }

    /// <summary>The Lambda error type reported for the invocation.</summary>
    public string ErrorType { get; }
}
