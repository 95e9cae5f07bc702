using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SocketRelay.Infrastructure.Serialization;
using SocketRelay.Infrastructure.Sqs;
using SocketRelay.LocalGateway.Queue;

namespace SocketRelay.LocalGateway.EventSource;

/// <summary>Builds the event Lambda's SQS event source mapping would send for a set of received messages.</summary>
public static class SqsEventFactory
{
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
                    ["SenderId"] = message.SenderId,
                    ["ApproximateFirstReceiveTimestamp"] = message.ApproximateFirstReceiveTimestamp.ToString(CultureInfo.InvariantCulture),
                    ["SequenceNumber"] = message.SequenceNumber,
                    ["MessageGroupId"] = message.MessageGroupId,
                    ["MessageDeduplicationId"] = message.MessageDeduplicationId,
                },
                MessageAttributes = message.MessageAttributes.ToDictionary(
                    a => a.Key,
                    a => new SqsMessageAttributeValue { StringValue = a.Value, StringListValues = [], BinaryListValues = [], DataType = "String" }),
                Md5OfBody = Md5Hex(message.Body),
                EventSource = "aws:sqs",
                EventSourceArn = queueArn,
                AwsRegion = region,
            });
        }

        return JsonSerializer.SerializeToUtf8Bytes(new SqsEvent { Records = records }, SocketRelayJsonContext.Wire.SqsEvent);
    }

#pragma warning disable CA5351 // MD5 is what SQS reports as md5OfBody: a checksum, not security.
    private static string Md5Hex(string body) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(body)));
#pragma warning restore CA5351
}
