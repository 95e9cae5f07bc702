using System.Text.Json;
using SocketRelay.Infrastructure.Serialization;
using SocketRelay.Infrastructure.Sqs;
using SocketRelay.LocalGateway.Lambda;

namespace SocketRelay.Lambda.Tests.Support;

/// <summary>Builds SQS events shaped exactly as Lambda's event source mapping sends them.</summary>
public sealed class SqsEventBuilder
{
    private readonly List<SqsRecord> _records = [];
    private long _sequence = 18849496460467696;

    public SqsEventBuilder Message(string messageId, string group, string? connectionId, string body, string? requestId = null)
    {
        var attributes = new Dictionary<string, SqsMessageAttributeValue>();
        if (connectionId is not null)
        {
            attributes["connectionId"] = Attribute(connectionId);
        }

        attributes["requestId"] = Attribute(requestId ?? $"req-{messageId}");
        _records.Add(new SqsRecord
        {
            MessageId = messageId,
            ReceiptHandle = $"AQEB{messageId}",
            Body = body,
            Attributes = new()
            {
                ["ApproximateReceiveCount"] = "1",
                ["SentTimestamp"] = "1545082649183",
                ["SenderId"] = "AIDAIENQZJOLO23YVJ4VO",
                ["ApproximateFirstReceiveTimestamp"] = "1545082649185",
                ["SequenceNumber"] = (++_sequence).ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["MessageGroupId"] = group,
                ["MessageDeduplicationId"] = requestId ?? $"req-{messageId}",
            },
            MessageAttributes = attributes,
            Md5OfBody = "00000000000000000000000000000000",
            EventSource = "aws:sqs",
            EventSourceArn = "arn:aws:sqs:us-east-1:123456789012:socketrelay.fifo",
            AwsRegion = "us-east-1",
        });
        return this;
    }

    public byte[] Build() => JsonSerializer.SerializeToUtf8Bytes(new SqsEvent { Records = _records }, SocketRelayJsonContext.Wire.SqsEvent);

    public static string[] FailedIds(InvocationResult result)
    {
        var response = JsonSerializer.Deserialize(result.Payload, SocketRelayJsonContext.Wire.SqsBatchResponse)!;
        return [.. response.BatchItemFailures.Select(f => f.ItemIdentifier)];
    }

    private static SqsMessageAttributeValue Attribute(string value) =>
        new() { StringValue = value, StringListValues = [], BinaryListValues = [], DataType = "String" };
}
