using System.Diagnostics.CodeAnalysis;

namespace SocketRelay.Domain.Identifiers;

/// <summary>The API Gateway WebSocket connection a reply goes to (e.g. <c>L0SM9cOFvHcCIhw=</c>).</summary>
public readonly record struct ConnectionId
{
    private const string FieldName = "connectionId";

    private ConnectionId(string value) => Value = value;

    public string Value { get; }

    public static ConnectionId Create(string? value) =>
        TryCreate(value, out var id, out var reason) ? id : throw new DomainValidationException(FieldName, reason);

    public static bool TryCreate(string? value, out ConnectionId id, [NotNullWhen(false)] out string? reason)
    {
        reason = OpaqueIdentifier.Validate(value);
        id = reason is null ? new ConnectionId(value!) : default;
        return reason is null;
    }

    public override string ToString() => Value;
}
