using SocketRelay.Domain.Identifiers;

namespace SocketRelay.LocalGateway.ApiGateway;

/// <summary>
/// Where the WebSocket API hands every valid inbound message: the queue, in the local gateway.
/// </summary>
/// <remarks>
/// A connection's messages are handed over one at a time and the next frame is not read until
/// <see cref="AcceptAsync"/> has returned, so returning means "accepted" (durable, in order).
/// Throwing answers the sender with an internal-error frame; the connection stays open.
/// </remarks>
public interface IInboundMessageSink
{
    ValueTask AcceptAsync(InboundMessage message, CancellationToken cancellationToken);
}

/// <summary>One accepted inbound message.</summary>
/// <param name="ConnectionId">The sender's connection.</param>
/// <param name="RequestId">Fresh for every message; also the FIFO deduplication id.</param>
/// <param name="GroupId">The message's <c>MessageGroupId</c>, or the connection id when it had none.</param>
/// <param name="Body">The inbound JSON re-serialized by <see cref="CompactJson"/>.</param>
public sealed record InboundMessage(ConnectionId ConnectionId, RequestId RequestId, MessageGroupId GroupId, string Body);
