using SocketRelay.Domain.Delivery;
using SocketRelay.Domain.Messages;

namespace SocketRelay.Application.Ports;

/// <summary>
/// Posts a reply to its WebSocket connection (the API Gateway <c>@connections</c> API in AWS).
/// Implementations tell a delivered reply from a client that has left (<see cref="DeliveryOutcome.Gone"/>)
/// and from failures, and return by <paramref name="sendBy"/>: retries that would run past it are not started.
/// </summary>
public interface IConnectionNotifier
{
    ValueTask<DeliveryResult> SendAsync(Reply reply, DateTimeOffset sendBy, CancellationToken cancellationToken);
}
