using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using SocketRelay.Domain.Identifiers;

namespace SocketRelay.LocalGateway.ApiGateway;

/// <summary>
/// A valid inbound text message: its compact body and its <c>MessageGroupId</c>, if it named one.
/// This is the request validation API Gateway's <c>$default</c> route performs.
/// </summary>
internal sealed record InboundRequest(string Body, MessageGroupId? GroupId)
{
    private const string GroupProperty = "MessageGroupId";

    /// <summary>
    /// Accepts a JSON object whose optional <c>MessageGroupId</c> is a string SQS accepts as a
    /// group id; otherwise says why not, in words fit for the gateway's log.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, [NotNullWhen(true)] out InboundRequest? request, [NotNullWhen(false)] out string? reason)
    {
        request = null;
        if (!CompactJson.TryMinifyToUtf8(utf8, out var compact, out var error))
        {
            reason = $"not valid JSON: {error}";
            return false;
        }

        // The compact form has no leading whitespace, so its first byte tells the root's kind.
        if (compact.Span[0] != '{')
        {
            reason = "the JSON root is not an object";
            return false;
        }

        if (!TryFindGroup(utf8, out var groupId, out reason))
        {
            return false;
        }

        request = new InboundRequest(Encoding.UTF8.GetString(compact.Span), groupId);
        return true;
    }

    private static bool TryFindGroup(ReadOnlySpan<byte> validObject, out MessageGroupId? groupId, [NotNullWhen(false)] out string? reason)
    {
        groupId = null;
        reason = null;
        var reader = new Utf8JsonReader(validObject, new JsonReaderOptions { MaxDepth = CompactJson.MaxDepth });
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isGroup = reader.ValueTextEquals(GroupProperty);
            reader.Read();
            if (isGroup)
            {
                if (groupId is not null)
                {
                    // Which of two values API Gateway's mapping would pick is unspecified: refuse to guess.
                    reason = $"{GroupProperty} appears more than once";
                    return false;
                }

                if (!TryReadGroup(ref reader, out var id, out reason))
                {
                    return false;
                }

                groupId = id;
            }

            reader.Skip();
        }

        return true;
    }

    private static bool TryReadGroup(ref Utf8JsonReader reader, out MessageGroupId id, [NotNullWhen(false)] out string? reason)
    {
        id = default;
        if (reader.TokenType != JsonTokenType.String)
        {
            reason = $"{GroupProperty} must be a string (was {reader.TokenType})";
            return false;
        }

        string value;
        try
        {
            value = reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            reason = $"{GroupProperty} contains a lone surrogate";
            return false;
        }

        if (!MessageGroupId.TryCreate(value, out id, out var invalid))
        {
            reason = $"{GroupProperty} {invalid}";
            return false;
        }

        reason = null;
        return true;
    }
}
