using SocketRelay.Domain.Messages;

namespace SocketRelay.Application.Ports;

/// <summary>
/// The business logic: computes the reply to one queued message. Register yours (and its
/// dependencies) in <c>src/Infrastructure/ReplyLogic.cs</c>, the one place both the <c>bootstrap</c>
/// and the local gateway compose; the default is <see cref="Replies.EchoReplyHandler"/>.
/// </summary>
/// <remarks>
/// <para>Called for one message of a group at a time, in the group's order; messages of different
/// groups run concurrently, so an implementation must be thread-safe. The returned
/// <see cref="Reply"/> is posted to <see cref="Reply.ConnectionId"/> over <c>@connections</c>.</para>
/// <para>How the outcome is reported back to the queue:</para>
/// <list type="bullet">
/// <item>a reply, or <see langword="null"/> when the message needs no answer: the message is done and deleted;</item>
/// <item><see cref="UnprocessableMessageException"/>: the message can never be processed (bad input for
/// the business logic); it is reported failed alone, so redrive parks it in the dead-letter queue,
/// and the rest of its group goes on;</item>
/// <item>any other exception: the failure may pass (a dependency timed out or is throttled); the
/// message and every later message of its group in the batch are reported failed and redelivered,
/// in order, until it succeeds or redrive dead-letters it.</item>
/// </list>
/// <para>Honour the cancellation token: it fires at <c>deadline − DeadlineSafetyMargin</c>.</para>
/// </remarks>
public interface IReplyHandler
{
    /// <param name="message">The queued message, body exactly as the client sent it.</param>
    /// <param name="cancellationToken">Cancelled when the batch must stop (deadline or shutdown).</param>
    /// <returns>The reply to post, or <see langword="null"/> for none.</returns>
    /// <exception cref="UnprocessableMessageException">The message can never be processed: park it alone.</exception>
    ValueTask<Reply?> HandleAsync(QueuedMessage message, CancellationToken cancellationToken);
}
