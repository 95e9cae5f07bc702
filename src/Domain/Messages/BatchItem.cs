using SocketRelay.Domain.Identifiers;

namespace SocketRelay.Domain.Messages;

/// <summary>
/// A record of a batch as the queue delivered it: either a <see cref="Valid"/> message that can be
/// processed, or an <see cref="Invalid"/> record that can never succeed. Both keep their place in
/// their message group, but an invalid record is reported failed alone: the messages of its group
/// queued after it are still processed (ADR-008), so a bad record never drags them into the
/// dead-letter queue.
/// </summary>
public abstract record BatchItem(MessageId MessageId, MessageGroupId GroupId)
{
    /// <summary>A well-formed message.</summary>
    public sealed record Valid(QueuedMessage Message) : BatchItem(Message.MessageId, Message.GroupId);

    /// <summary>
    /// A record that can never succeed, such as one without a body or a <c>connectionId</c> attribute;
    /// <paramref name="Reason"/> says which, for the log. It is reported failed alone, so that the
    /// queue's redrive policy moves it to the dead-letter queue after <c>maxReceiveCount</c> receives.
    /// </summary>
    public sealed record Invalid(MessageId MessageId, MessageGroupId GroupId, string Reason) : BatchItem(MessageId, GroupId);
}
