using System.Diagnostics.CodeAnalysis;

namespace SocketRelay.Domain.Identifiers;

/// <summary>
/// The SQS FIFO message group: 1–128 characters of <c>a-zA-Z0-9</c> and ASCII punctuation,
/// exactly the set Amazon SQS accepts for <c>MessageGroupId</c>.
/// </summary>
public readonly record struct MessageGroupId
{
    public const int MaxLength = 128;
    private const string FieldName = "MessageGroupId";

    private MessageGroupId(string value) => Value = value;

    public string Value { get; }

    public static MessageGroupId Create(string? value) =>
        TryCreate(value, out var id, out var reason) ? id : throw new DomainValidationException(FieldName, reason);

    public static bool TryCreate(string? value, out MessageGroupId id, [NotNullWhen(false)] out string? reason)
    {
        id = default;
        reason = Validate(value);
        if (reason is not null)
        {
            return false;
        }

        id = new MessageGroupId(value!);
        return true;
    }

    /// <summary>
    /// Alphanumerics plus <c>!"#$%&amp;'()*+,-./:;&lt;=&gt;?@[\]^_`{|}~</c>: together, every printable
    /// ASCII character except the space (U+0021 to U+007E).
    /// </summary>
    public static bool IsAllowedCharacter(char c) => c is >= '!' and <= '~';

    public override string ToString() => Value;

    private static string? Validate(string? value)
    {
        if (value is null)
        {
            return "must be a string";
        }

        if (value.Length is 0 or > MaxLength)
        {
            return $"must be 1 to {MaxLength} characters long (was {value.Length})";
        }

        for (var i = 0; i < value.Length; i++)
        {
            if (!IsAllowedCharacter(value[i]))
            {
                return $"character at position {i} is not allowed; use a-z, A-Z, 0-9 and ASCII punctuation";
            }
        }

        return null;
    }
}
