using System.Text.Json;

namespace SocketRelay.LocalGateway.EventSource;

/// <summary>What the event source makes of a function's response: which messages failed, or why the response is invalid.</summary>
/// <param name="FailedMessageIds">The messages to leave on the queue; empty for a complete success.</param>
/// <param name="Problem">Why the response is invalid, in words for the gateway's log; null when it is valid.
/// An invalid response fails the whole batch.</param>
public sealed record PartialBatchResponseVerdict(IReadOnlySet<string> FailedMessageIds, string? Problem)
{
    public bool IsValid => Problem is null;
}

/// <summary>
/// Reads a response the way Lambda's SQS event source reads it with <c>ReportBatchItemFailures</c>
/// (AWS Lambda Developer Guide, "Implementing partial batch responses"):
/// <list type="bullet">
/// <item>complete success: an empty or <c>null</c> response, <c>{}</c>, a <c>null</c> or empty <c>batchItemFailures</c>;</item>
/// <item>those messages failed: <c>{"batchItemFailures":[{"itemIdentifier":"&lt;messageId&gt;"}, …]}</c>;</item>
/// <item>the whole batch failed (invalid response): a body that is not JSON, not an object, a <c>batchItemFailures</c>
/// that is not an array of objects, an <c>itemIdentifier</c> that is missing or misnamed, <c>null</c>, empty,
/// not a string, or not the <c>messageId</c> of a message in this batch.</item>
/// </list>
/// </summary>
public static class PartialBatchResponse
{
    private static readonly PartialBatchResponseVerdict Success = new(new HashSet<string>(StringComparer.Ordinal), null);

    /// <param name="payload">The function's response body as posted to the Runtime API.</param>
    /// <param name="batchMessageIds">The <c>messageId</c> of every record in the event.</param>
    public static PartialBatchResponseVerdict Judge(ReadOnlyMemory<byte> payload, IReadOnlySet<string> batchMessageIds)
    {
        ArgumentNullException.ThrowIfNull(batchMessageIds);
        if (payload.Span.Trim(" \t\r\n"u8).IsEmpty)
        {
            return Success;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(payload);
        }
        catch (JsonException ex)
        {
            return Invalid($"the response is not JSON ({ex.Message})");
        }

        using (document)
        {
            return Judge(document.RootElement, batchMessageIds);
        }
    }

    private static PartialBatchResponseVerdict Judge(JsonElement response, IReadOnlySet<string> batchMessageIds)
    {
        if (response.ValueKind == JsonValueKind.Null)
        {
            return Success;
        }

        if (response.ValueKind != JsonValueKind.Object)
        {
            return Invalid($"the response is a JSON {Describe(response.ValueKind)}, not an object with batchItemFailures");
        }

        if (!response.TryGetProperty("batchItemFailures", out var failures) || failures.ValueKind == JsonValueKind.Null)
        {
            return Success;
        }

        if (failures.ValueKind != JsonValueKind.Array)
        {
            return Invalid($"batchItemFailures is a JSON {Describe(failures.ValueKind)}, not an array");
        }

        var failed = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var failure in failures.EnumerateArray())
        {
            var at = $"batchItemFailures[{index++}]";
            if (failure.ValueKind != JsonValueKind.Object)
            {
                return Invalid($"{at} is a JSON {Describe(failure.ValueKind)}, not an object with an itemIdentifier");
            }

            if (!failure.TryGetProperty("itemIdentifier", out var identifier))
            {
                var keys = string.Join(", ", failure.EnumerateObject().Select(p => p.Name));
                return Invalid($"{at} has no itemIdentifier (its keys: {(keys.Length == 0 ? "none" : keys)})");
            }

            switch (identifier.ValueKind)
            {
                case JsonValueKind.Null:
                    return Invalid($"{at}.itemIdentifier is null");
                case not JsonValueKind.String:
                    return Invalid($"{at}.itemIdentifier is a JSON {Describe(identifier.ValueKind)}, not a messageId string");
            }

            var id = identifier.GetString()!;
            if (id.Length == 0)
            {
                return Invalid($"{at}.itemIdentifier is empty");
            }

            if (!batchMessageIds.Contains(id))
            {
                return Invalid($"{at}.itemIdentifier '{id}' is not the messageId of a message in this batch");
            }

            failed.Add(id);
        }

        return new(failed, null);
    }

    private static PartialBatchResponseVerdict Invalid(string problem) => new(new HashSet<string>(StringComparer.Ordinal), problem);

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "array",
        JsonValueKind.Object => "object",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => "null",
    };
}
