using System.Text.Json.Serialization;

namespace SocketRelay.Infrastructure.Sqs;

/// <summary>The event Lambda's SQS event source mapping sends: <c>{"Records":[…]}</c>.</summary>
public sealed class SqsEvent
{
    [JsonPropertyName("Records")]
    public List<SqsRecord>? Records { get; set; }
}

/// <summary>
/// One SQS message as Lambda delivers it; field names, and their order when written, exactly as AWS
/// sends them: <c>messageId, receiptHandle, body, attributes, messageAttributes, md5OfMessageAttributes,
/// md5OfBody, eventSource, eventSourceARN, awsRegion</c>.
/// </summary>
public sealed class SqsRecord
{
    [JsonPropertyName("messageId")]
    public string? MessageId { get; set; }

    [JsonPropertyName("receiptHandle")]
    public string? ReceiptHandle { get; set; }

    [JsonPropertyName("body")]
    public string? Body { get; set; }

    /// <summary>System attributes: <c>ApproximateReceiveCount</c>, <c>SentTimestamp</c>, <c>SenderId</c>,
    /// <c>ApproximateFirstReceiveTimestamp</c> and, on FIFO queues, <c>SequenceNumber</c>,
    /// <c>MessageGroupId</c>, <c>MessageDeduplicationId</c>.</summary>
    [JsonPropertyName("attributes")]
    public Dictionary<string, string>? Attributes { get; set; }

    [JsonPropertyName("messageAttributes")]
    public Dictionary<string, SqsMessageAttributeValue>? MessageAttributes { get; set; }

    /// <summary>SQS's MD5 of the message attributes, lower-case hex; absent when the message has none.</summary>
    [JsonPropertyName("md5OfMessageAttributes")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Md5OfMessageAttributes { get; set; }

    /// <summary>MD5 of the body's UTF-8 bytes, lower-case hex.</summary>
    [JsonPropertyName("md5OfBody")]
    public string? Md5OfBody { get; set; }

    [JsonPropertyName("eventSource")]
    public string? EventSource { get; set; }

    [JsonPropertyName("eventSourceARN")]
    public string? EventSourceArn { get; set; }

    [JsonPropertyName("awsRegion")]
    public string? AwsRegion { get; set; }
}

/// <summary>A message attribute: <c>{"stringValue","binaryValue","stringListValues","binaryListValues","dataType"}</c>.</summary>
public sealed class SqsMessageAttributeValue
{
    [JsonPropertyName("stringValue")]
    public string? StringValue { get; set; }

    [JsonPropertyName("binaryValue")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? BinaryValue { get; set; }

    [JsonPropertyName("stringListValues")]
    public List<string>? StringListValues { get; set; }

    [JsonPropertyName("binaryListValues")]
    public List<string>? BinaryListValues { get; set; }

    [JsonPropertyName("dataType")]
    public string? DataType { get; set; }
}

/// <summary>The partial batch response: <c>{"batchItemFailures":[{"itemIdentifier":"&lt;messageId&gt;"}]}</c>.</summary>
public sealed class SqsBatchResponse
{
    [JsonPropertyName("batchItemFailures")]
    public List<SqsBatchItemFailure> BatchItemFailures { get; set; } = [];
}

public sealed class SqsBatchItemFailure
{
    [JsonPropertyName("itemIdentifier")]
    public string ItemIdentifier { get; set; } = "";
}
