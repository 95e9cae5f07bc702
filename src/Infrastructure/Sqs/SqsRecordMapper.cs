using System.Security.Cryptography;
using System.Text;
using SocketRelay.Domain.Identifiers;
using SocketRelay.Domain.Messages;

namespace SocketRelay.Infrastructure.Sqs;

/// <summary>
/// Turns SQS records into batch items. A record that can never be processed becomes
/// <see cref="BatchItem.Invalid"/> (reported failed, then dead-lettered by redrive), never an
/// exception that fails the whole batch.
/// </summary>
public static class SqsRecordMapper
{
    public const string ConnectionIdAttribute = "connectionId";
    public const string RequestIdAttribute = "requestId";

    /// <summary>Maps every record, in order.</summary>
    /// <exception cref="MalformedEventException">The event has no <c>Records</c> array or a record has no usable
    /// <c>messageId</c>: nothing could be reported for it, so the invocation fails as a whole.</exception>
    public static List<BatchItem> ToBatch(SqsEvent sqsEvent)
    {
        ArgumentNullException.ThrowIfNull(sqsEvent);
        if (sqsEvent.Records is null)
        {
            throw new MalformedEventException("the event has no \"Records\" array");
        }

        var items = new List<BatchItem>(sqsEvent.Records.Count);
        for (var i = 0; i < sqsEvent.Records.Count; i++)
        {
            var record = sqsEvent.Records[i] ?? throw new MalformedEventException($"record {i} is null");
            items.Add(ToItem(record, i));
        }

        return items;
    }

    private static BatchItem ToItem(SqsRecord record, int index)
    {
        if (!MessageId.TryCreate(record.MessageId, out var messageId, out var idProblem))
        {
            throw new MalformedEventException($"record {index}: messageId {idProblem}");
        }

        // Standard queues have no group: each message is then its own group, processed alone.
        var groupText = Attribute(record.Attributes, "MessageGroupId");
        MessageGroupId groupId;
        if (groupText is null)
        {
            groupId = OwnGroup(messageId);
        }
        else if (!MessageGroupId.TryCreate(groupText, out groupId, out var groupProblem))
        {
            return new BatchItem.Invalid(messageId, OwnGroup(messageId), $"MessageGroupId {groupProblem}");
        }

        if (record.Body is null)
        {
            return new BatchItem.Invalid(messageId, groupId, "the record has no body");
        }

        var connectionText = StringAttribute(record, ConnectionIdAttribute);
        if (!ConnectionId.TryCreate(connectionText, out var connectionId, out var connectionProblem))
        {
            return new BatchItem.Invalid(messageId, groupId, connectionText is null
                ? $"the record has no \"{ConnectionIdAttribute}\" message attribute"
                : $"message attribute \"{ConnectionIdAttribute}\" {connectionProblem}");
        }

        var requestText = StringAttribute(record, RequestIdAttribute);
        if (!RequestId.TryCreate(requestText, out var requestId, out var requestProblem))
        {
            return new BatchItem.Invalid(messageId, groupId, requestText is null
                ? $"the record has no \"{RequestIdAttribute}\" message attribute"
                : $"message attribute \"{RequestIdAttribute}\" {requestProblem}");
        }

        var receiveCount = int.TryParse(Attribute(record.Attributes, "ApproximateReceiveCount"), out var count) ? count : 1;
        return new BatchItem.Valid(new QueuedMessage(messageId, groupId, connectionId, requestId, record.Body, receiveCount));
    }

    /// <summary>
    /// A group of its own for a record without a usable group: its message id when that fits a group
    /// id (every message id character does; up to 128 of them), else <c>sha256:</c> and the id's
    /// SHA-256 in hex (71 characters), since message ids may be up to 256 characters long.
    /// </summary>
    private static MessageGroupId OwnGroup(MessageId messageId) =>
        MessageGroupId.TryCreate(messageId.Value, out var group, out _)
            ? group
            : MessageGroupId.Create("sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(messageId.Value))));

    private static string? StringAttribute(SqsRecord record, string name) =>
        record.MessageAttributes is not null && record.MessageAttributes.TryGetValue(name, out var attribute) ? attribute?.StringValue : null;

    private static string? Attribute(Dictionary<string, string>? attributes, string name) =>
        attributes is not null && attributes.TryGetValue(name, out var value) ? value : null;
}
