using System.Globalization;
using Amazon.SQS;
using Amazon.SQS.Model;

namespace SocketRelay.LocalGateway.Queue.Sqs;

/// <summary>Translates between the queue port's records and the SQS SDK's requests and messages.</summary>
internal static class SqsMessageMapper
{
    public const string StringDataType = "String";

    /// <summary>Everything SQS can put on a message; the poller needs them for the Lambda event record.</summary>
    public static List<string> AllAttributes() => [MessageSystemAttributeName.All];

    public static SendMessageRequest ToSendRequest(string queueUrl, OutgoingMessage message) => new()
    {
        QueueUrl = queueUrl,
        MessageBody = message.Body,
        MessageGroupId = message.MessageGroupId,
        MessageDeduplicationId = message.MessageDeduplicationId,
        // SQS rejects an empty attribute map less gracefully than an absent one.
        MessageAttributes = message.MessageAttributes.Count == 0
            ? null
            : message.MessageAttributes.ToDictionary(
                attribute => attribute.Key,
                attribute => new MessageAttributeValue { DataType = StringDataType, StringValue = attribute.Value },
                StringComparer.Ordinal),
    };

    public static ReceiveMessageRequest ToReceiveRequest(string queueUrl, int maxMessages, TimeSpan visibilityTimeout, TimeSpan waitTime) => new()
    {
        QueueUrl = queueUrl,
        MaxNumberOfMessages = maxMessages,
        VisibilityTimeout = ToVisibilitySeconds(visibilityTimeout),
        WaitTimeSeconds = (int)Math.Round(waitTime.TotalSeconds, MidpointRounding.AwayFromZero),
        MessageSystemAttributeNames = AllAttributes(),
        MessageAttributeNames = AllAttributes(),
    };

    /// <summary>
    /// SQS counts visibility in whole seconds; rounding up never hands a message to another consumer
    /// before the caller's timeout has passed.
    /// </summary>
    public static int ToVisibilitySeconds(TimeSpan visibilityTimeout) => (int)Math.Ceiling(visibilityTimeout.TotalSeconds);

    public static ReceivedMessage ToReceivedMessage(Message message)
    {
        var attributes = new SystemAttributes(message.Attributes);
        return new ReceivedMessage(
            message.MessageId ?? "",
            message.ReceiptHandle ?? "",
            message.Body ?? "",
            attributes.Text(MessageSystemAttributeName.MessageGroupId),
            attributes.Text(MessageSystemAttributeName.MessageDeduplicationId),
            ToAttributeMap(message.MessageAttributes),
            (int)attributes.Number(MessageSystemAttributeName.ApproximateReceiveCount),
            attributes.Number(MessageSystemAttributeName.SentTimestamp),
            attributes.Number(MessageSystemAttributeName.ApproximateFirstReceiveTimestamp),
            attributes.Text(MessageSystemAttributeName.SequenceNumber),
            attributes.Text(MessageSystemAttributeName.SenderId));
    }

    /// <summary>
    /// String and Number attributes keep their text; a Binary attribute becomes base64, which is also
    /// how the Lambda event carries it.
    /// </summary>
    private static Dictionary<string, string> ToAttributeMap(Dictionary<string, MessageAttributeValue>? attributes)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in attributes ?? [])
        {
            map[name] = value.StringValue ?? (value.BinaryValue is { } binary ? Convert.ToBase64String(binary.ToArray()) : "");
        }

        return map;
    }

    /// <summary>
    /// An SQS-compatible endpoint may leave out an attribute; a missing one reads as empty or zero
    /// rather than failing the whole receive.
    /// </summary>
    private readonly struct SystemAttributes(Dictionary<string, string>? attributes)
    {
        public string Text(string name) => attributes?.GetValueOrDefault(name) ?? "";

        public long Number(string name) =>
            long.TryParse(Text(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : 0;
    }
}
