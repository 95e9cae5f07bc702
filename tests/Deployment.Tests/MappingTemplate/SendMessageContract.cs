using System.Text.Json.Nodes;
using SocketRelay.Deployment.Tests.Vtl;

namespace SocketRelay.Deployment.Tests.MappingTemplate;

/// <summary>
/// What the integration request for one frame must be, as SQS reads it: exactly one of each
/// SendMessage parameter and nothing else; the body is the compact frame, byte for byte; the
/// group is the frame's MessageGroupId or else the connection; the deduplication id and the
/// attributes come from API Gateway's context, never from the frame.
/// </summary>
public static class SendMessageContract
{
    public static IReadOnlyList<KeyValuePair<string, string>> ExpectedParameters(GatewayRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return
        [
            KeyValuePair.Create("Action", "SendMessage"),
            KeyValuePair.Create("MessageGroupId", ExpectedMessageGroupId(request)),
            KeyValuePair.Create("MessageDeduplicationId", request.Context.RequestId),
            KeyValuePair.Create("MessageAttribute.1.Name", "connectionId"),
            KeyValuePair.Create("MessageAttribute.1.Value.StringValue", request.Context.ConnectionId),
            KeyValuePair.Create("MessageAttribute.1.Value.DataType", "String"),
            KeyValuePair.Create("MessageAttribute.2.Name", "requestId"),
            KeyValuePair.Create("MessageAttribute.2.Value.StringValue", request.Context.RequestId),
            KeyValuePair.Create("MessageAttribute.2.Value.DataType", "String"),
            KeyValuePair.Create("MessageBody", CompactJson.Stringify(request.Body)),
        ];
    }

    /// <summary>Every way <paramref name="renderedBody"/> breaks the contract; empty when it keeps it.</summary>
    public static IReadOnlyList<string> Violations(GatewayRequest request, string renderedBody)
    {
        ArgumentNullException.ThrowIfNull(renderedBody);
        var violations = new List<string>();
        if (renderedBody.Length > 0 && (char.IsWhiteSpace(renderedBody[0]) || char.IsWhiteSpace(renderedBody[^1])))
        {
            violations.Add("the form body starts or ends with whitespace");
        }

        SendMessageParameters parameters;
        try
        {
            parameters = SendMessageParameters.DecodeFormBody(renderedBody);
        }
        catch (FormatException exception)
        {
            violations.Add("SQS cannot decode the form body: " + exception.Message);
            return violations;
        }

        var expected = ExpectedParameters(request);
        foreach (var (name, expectedValue) in expected)
        {
            var values = parameters.Values(name);
            if (values.Count != 1)
            {
                violations.Add($"{name} appears {values.Count} times");
            }
            else if (values[0] != expectedValue)
            {
                violations.Add($"{name} is {Excerpt(values[0])}, expected {Excerpt(expectedValue)}");
            }
        }

        var expectedNames = expected.Select(pair => pair.Key).ToHashSet(StringComparer.Ordinal);
        violations.AddRange(parameters.Pairs
            .Where(pair => !expectedNames.Contains(pair.Key))
            .Select(pair => $"unexpected parameter {Excerpt(pair.Key)}={Excerpt(pair.Value)}"));
        return violations;
    }

    private static string ExpectedMessageGroupId(GatewayRequest request) =>
        JsonNode.Parse(request.Body) is JsonObject frame && frame["MessageGroupId"] is JsonValue value && value.TryGetValue<string>(out var groupId)
            ? groupId
            : request.Context.ConnectionId;

    private static string Excerpt(string text) =>
        text.Length <= 80 ? $"'{text}'" : $"'{text[..77]}…' ({text.Length} characters)";
}
