using System.Text.Json;

namespace SocketRelay.LocalGateway.DevConsole;

/// <summary>
/// Reads the <c>requestId</c> of a reply envelope (<c>{"connectionId":"…","requestId":"…","message":"…"}</c>,
/// the function's <c>@connections</c> body) from its first bytes, without reading the message, so the
/// console can tie a <c>@connections</c> answer to the message it replies to.
/// </summary>
internal static class ReplyEnvelopeProbe
{
    /// <summary>Enough for the envelope's first two members: ids are at most 128 characters.</summary>
    public const int PrefixBytes = 512;

    private static readonly byte[] RequestIdName = "requestId"u8.ToArray();

    /// <summary>The <c>requestId</c> among the top-level members in <paramref name="prefix"/>, or null.</summary>
    public static string? RequestId(ReadOnlySpan<byte> prefix)
    {
        var reader = new Utf8JsonReader(prefix, isFinalBlock: false, state: default);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isRequestId = reader.ValueTextEquals(RequestIdName);
                if (!reader.Read())
                {
                    return null;
                }

                if (isRequestId)
                {
                    return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }

                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && !reader.TrySkip())
                {
                    return null;
                }
            }
        }
        catch (JsonException)
        {
            // Not an envelope: the answer is tied to no message.
        }

        return null;
    }

    /// <summary>Reads up to <see cref="PrefixBytes"/> of a body not read yet and probes them.</summary>
    public static async Task<string?> ReadRequestIdAsync(Stream body, CancellationToken cancellationToken)
    {
        var prefix = new byte[PrefixBytes];
        var length = 0;
        try
        {
            int read;
            while (length < prefix.Length && (read = await body.ReadAsync(prefix.AsMemory(length), cancellationToken)) > 0)
            {
                length += read;
            }
        }
        catch (IOException)
        {
            // The caller went away; whatever arrived is probed.
        }

        return RequestId(prefix.AsSpan(0, length));
    }
}
