using SocketRelay.Infrastructure.Sqs;
using SocketRelay.LocalGateway.ApiGateway;
using SocketRelay.LocalGateway.DevConsole;
using SocketRelay.LocalGateway.Queue;

namespace SocketRelay.LocalGateway.Hosting;

/// <summary>
/// What API Gateway's SQS integration does with an accepted frame: <c>SendMessage</c> with the
/// compact body, the group, the request id as deduplication id and the <c>connectionId</c> and
/// <c>requestId</c> attributes. It returns once the queue has stored the message; the developer
/// console's observer (if any) is told when it was received and queued.
/// </summary>
public sealed class QueueInboundSink(IFifoQueue queue, IPipelineObserver? observer = null) : IInboundMessageSink
{
    private readonly IPipelineObserver _observer = observer ?? NoPipelineObserver.Instance;

    public async ValueTask AcceptAsync(InboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var attributes = new Dictionary<string, string>(2, StringComparer.Ordinal)
        {
            [SqsRecordMapper.ConnectionIdAttribute] = message.ConnectionId.Value,
            [SqsRecordMapper.RequestIdAttribute] = message.RequestId.Value,
        };
        var receivedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var sent = await queue.SendAsync(new OutgoingMessage(message.Body, message.GroupId.Value, message.RequestId.Value, attributes), cancellationToken);
        _observer.MessageQueued(message.ConnectionId.Value, message.RequestId.Value, message.GroupId.Value, message.Body, sent, receivedAt, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
    }
}
