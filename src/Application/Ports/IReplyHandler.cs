using SocketRelay.Domain.Messages;

namespace SocketRelay.Application.Ports;

/// <summary>
/// The business logic: computes the reply to one queued message. This is the one place a user of
/// SocketRelay plugs in their own behaviour; the default is <see cref="Replies.EchoReplyHandler"/>.
/// Return <see langword="null"/> when the message needs no answer. A thrown exception fails the
/// message (and holds back the rest of its group) so that it is retried, then dead-lettered.
/// </summary>
public interface IReplyHandler
{
    ValueTask<Reply?> HandleAsync(QueuedMessage message, CancellationToken cancellationToken);
}
