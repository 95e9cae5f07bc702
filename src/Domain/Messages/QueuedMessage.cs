using SocketRelay.Domain.Identifiers;

namespace SocketRelay.Domain.Messages;

/// <summary>
/// One message taken off the FIFO queue: who sent it (<see cref="ConnectionId"/>,
/// <see cref="RequestId"/>), which ordered stream it belongs to (<see cref="GroupId"/>) and the
/// body exactly as it was queued.
/// </summary>
public sealed record QueuedMessage(
    MessageId MessageId,
    MessageGroupId GroupId,
    ConnectionId ConnectionId,
    RequestId RequestId,
    string Body,
    int ReceiveCount);
