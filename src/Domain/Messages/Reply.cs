using SocketRelay.Domain.Identifiers;

namespace SocketRelay.Domain.Messages;

/// <summary>
/// What the function sends back over the <c>@connections</c> API. Its wire form is the seed's
/// envelope <c>{"connectionId":"…","requestId":"…","message":"…"}</c>; <see cref="ConnectionId"/>
/// is also the connection it is posted to.
/// </summary>
public sealed record Reply(ConnectionId ConnectionId, RequestId RequestId, string Message)
{
    /// <summary>The seed's behaviour: the message body comes back unchanged to its sender.</summary>
    public static Reply EchoOf(QueuedMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new Reply(message.ConnectionId, message.RequestId, message.Body);
    }
}
