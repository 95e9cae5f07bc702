using System.Globalization;
using System.Text.Json;
using SocketRelay.Infrastructure.Serialization;
using SocketRelay.Infrastructure.Sqs;
using SocketRelay.LocalGateway.Queue;

namespace SocketRelay.LocalGateway.EventSource;

/// <summary>
/// Builds the event Lambda's SQS event source mapping would send for a set of received messages:
/// <c>{"Records":[…]}</c> with every field, in AWS's order, that AWS documents for a FIFO queue
/// (AWS Lambda Developer Guide, "Using Lambda with Amazon SQS", example FIFO queue message event),
/// plus <c>md5OfMessageAttributes</c> as SQS computes it.
/// </summary>
public static class SqsEventFactory
{
    /// <param name="messages">In queue order; the event keeps it.</param>
    /// <param name="queueArn">Each record's <c>eventSourceARN</c>.</param>
    /// <param name="region">Each record's <c>awsRegion</c>.</param>
    /// <returns>The event as UTF-8 JSON.</returns>
    public static byte[] Build(IReadOnlyList<ReceivedMessage> messages, string queueArn, string region)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var records = new List<SqsRecord>(messages.Count);
        foreach (var message in messages)
        {
            records.Add(new SqsRecord
            {
                MessageId = message.MessageId,
                ReceiptHandle = message.ReceiptHandle,
                Body = message.Body,
                Attributes = new Dictionary<string, string>
                {
                    ["ApproximateReceiveCount"] = message.ApproximateReceiveCount.ToString(CultureInfo.InvariantCulture),
                    ["SentTimestamp"] = message.SentTimestamp.ToString(CultureInfo.InvariantCulture),
                    ["SequenceNumber"] = message.SequenceNumber,
                    ["MessageGroupId"] = message.MessageGroupId,
                    ["SenderId"] = message.SenderId,
                    ["MessageDeduplicationId"] = message.MessageDeduplicationId,
                    ["ApproximateFirstReceiveTimestamp"] = message.ApproximateFirstReceiveTimestamp.ToString(CultureInfo.InvariantCulture),
                },
                MessageAttributes = message.MessageAttributes.ToDictionary(
                    a => a.Key,
                    a => new SqsMessageAttributeValue { StringValue = a.Value, StringListValues = [], BinaryListValues = [], DataType = "String" }),
                Md5OfMessageAttributes = SqsMessageDigest.OfStringAttributes(message.MessageAttributes),
                Md5OfBody = SqsMessageDigest.OfBody(message.Body),
                EventSource = "aws:sqs",
                EventSourceArn = queueArn,
                AwsRegion = region,
            });
        }

        return JsonSerializer.SerializeToUtf8Bytes(new SqsEvent { Records = records }, SocketRelayJsonContext.Wire.SqsEvent);
    }
}
