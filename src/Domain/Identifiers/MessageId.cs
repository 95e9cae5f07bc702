using System.Diagnostics.CodeAnalysis;

namespace SocketRelay.Domain.Identifiers;

/// <summary>The SQS message id: what <c>batchItemFailures</c> reports back.</summary>
public readonly record struct MessageId
{
    private const string FieldName = "messageId";

    private MessageId(string value) => Value = value;

    public string Value { get; }

    public static MessageId Create(string? value) =>
        TryCreate(value, out var id, out var reason) ? id : throw new DomainValidationException(FieldName, reason);

    public static bool TryCreate(string? value, out MessageId id, [NotNullWhen(false)] out string? reason)
    {
        reason = OpaqueIdentifier.Validate(value);
        id = reason is null ? new MessageId(value!) : default;
        return reason is null;
    }

    public override string ToString() => Value;
}
