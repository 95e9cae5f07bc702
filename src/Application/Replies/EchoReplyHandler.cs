using SocketRelay.Application.Ports;
using SocketRelay.Domain.Messages;

namespace SocketRelay.Application.Replies;

/// <summary>The seed's behaviour: every message comes back to its sender in the seed's envelope.</summary>
public sealed class EchoReplyHandler : IReplyHandler
{
    public ValueTask<Reply?> HandleAsync(QueuedMessage message, CancellationToken cancellationToken) =>
        ValueTask.FromResult<Reply?>(Reply.EchoOf(message));
}
