using SocketRelay.Domain.Identifiers;

namespace SocketRelay.Domain.Messages;

/// <summary>
/// A record of a batch as the queue delivered it: either a <see cref="QueuedMessage"/> that can be
/// processed, or a record that can never succeed (see <see cref="InvalidRecord"/>). Both keep their
/// place in their message group, so a bad record holds back the messages queued after it.
/// </summary>
public abstract record BatchItem(MessageId MessageId, MessageGroupId GroupId)
{
    /// <summary>A well-formed message.</summary>
    public sealed record Valid(QueuedMessage Message) : BatchItem(Message.MessageId, Message.GroupId);

    /// <summary>
    /// A record that can never succeed, such as one without a <c>connectionId</c> attribute.
    /// It is reported failed so that the queue's redrive policy moves it to the dead-letter queue.
    /// </summary>
    public sealed record Invalid(MessageId MessageId, MessageGroupId GroupId, string Reason) : BatchItem(MessageId, GroupId);
}
