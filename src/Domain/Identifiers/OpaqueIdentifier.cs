namespace SocketRelay.Domain.Identifiers;

/// <summary>
/// The one rule shared by the ids AWS hands us (connection, request and SQS message ids):
/// non-empty, bounded, printable ASCII with no spaces. Their exact shape is AWS's business, so
/// nothing stricter is assumed.
/// </summary>
internal static class OpaqueIdentifier
{
    public const int MaxLength = 256;

    public static string? Validate(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "is required";
        }

        if (value.Length > MaxLength)
        {
            return $"must be at most {MaxLength} characters long (was {value.Length})";
        }

        foreach (var c in value)
        {
            if (c is < '!' or > '~')
            {
                return "must be printable ASCII without spaces";
            }
        }

        return null;
    }
}
