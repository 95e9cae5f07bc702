using System.Diagnostics.CodeAnalysis;

namespace SocketRelay.Domain.Identifiers;

/// <summary>The API Gateway request id of the inbound frame; it is also the FIFO deduplication id.</summary>
public readonly record struct RequestId
{
    private const string FieldName = "requestId";

    private RequestId(string value) => Value = value;

    public string Value { get; }

    public static RequestId Create(string? value) =>
        TryCreate(value, out var id, out var reason) ? id : throw new DomainValidationException(FieldName, reason);

    public static bool TryCreate(string? value, out RequestId id, [NotNullWhen(false)] out string? reason)
    {
        reason = OpaqueIdentifier.Validate(value);
        id = reason is null ? new RequestId(value!) : default;
        return reason is null;
    }

    public override string ToString() => Value;
}
