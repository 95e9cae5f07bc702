namespace SocketRelay.Domain;

/// <summary>
/// Thrown when a value cannot become a domain value object. <see cref="Field"/> names the
/// offending input and <see cref="Reason"/> says, in words a client can act on, what is wrong.
/// </summary>
public sealed class DomainValidationException : Exception
{
    public DomainValidationException(string field, string reason)
        : base($"{field}: {reason}")
    {
        Field = field;
        Reason = reason;
    }

    public DomainValidationException()
        : this("value", "invalid")
    {
    }

    public DomainValidationException(string message)
        : this("value", message)
    {
    }

    public DomainValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Field = "value";
        Reason = message;
    }

    public string Field { get; }

    public string Reason { get; }
}
