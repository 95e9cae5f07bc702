using System.Collections;
using SocketRelay.Domain.Messages;

namespace SocketRelay.Application.Batches;

/// <summary>
/// The structured properties every log line about one message carries, under the names of the
/// Powertools-shaped Lambda log schema.
/// </summary>
internal sealed class MessageLogScope(QueuedMessage message) : IReadOnlyList<KeyValuePair<string, object?>>
{
    public int Count => 4;

    public KeyValuePair<string, object?> this[int index] => index switch
    {
        0 => new("message_id", message.MessageId.Value),
        1 => new("message_group_id", message.GroupId.Value),
        2 => new("connection_id", message.ConnectionId.Value),
        3 => new("request_id", message.RequestId.Value),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => $"message_id:{message.MessageId} message_group_id:{message.GroupId}";
}
