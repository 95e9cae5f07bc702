using SocketRelay.Domain.Delivery;
using SocketRelay.Domain.Messages;

namespace SocketRelay.Application.Ports;

/// <summary>
/// Posts a reply to its WebSocket connection (the API Gateway <c>@connections</c> API in AWS).
/// Implementations tell a delivered reply from a client that has left (<see cref="DeliveryOutcome.Gone"/>)
/// and from failures.
/// </summary>
public interface IConnectionNotifier
{
    /// <summary>
    /// Posts <paramref name="reply"/> and says how it went. Returns by <paramref name="sendBy"/>:
    /// retries that would run past it are not started.
    /// </summary>
    ValueTask<DeliveryResult> SendAsync(Reply reply, DateTimeOffset sendBy, CancellationToken cancellationToken);
}
