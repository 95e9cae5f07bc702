namespace SocketRelay.LocalGateway.Tests.Queue.Model;

/// <summary>
/// An executable model of an Amazon SQS FIFO queue configured as deploy/serverless.yml configures
/// the deployed one (no content-based deduplication, <c>DeduplicationScope: messageGroup</c>, a
/// redrive policy with <c>maxReceiveCount</c>), written from the Amazon SQS Developer Guide and API
/// Reference, not from the local queue's code. Each rule cites the documented behaviour it encodes.
/// Messages are named by their body; receipt handles by the order they were issued.
/// </summary>
/// <remarks>
/// Where SQS leaves a choice open, the model makes the choice the local queue documents:
/// a receive serves the oldest deliverable message first across groups, and returns as many as it
/// may (SQS may return fewer). Restart is the local queue's own event: a new process releases every
/// lease of the old one (SQS has no restart).
/// </remarks>
internal sealed class SqsFifoModel(int maxReceiveCount, long startMilliseconds) : IQueueObservations
{
    /// <summary>"The deduplication interval is 5 minutes" (FIFO exactly-once processing).</summary>
    public const long DeduplicationIntervalMs = 5 * 60 * 1000;

    private readonly List<Message> _messages = [];
    private readonly List<Message> _deadLetters = [];
    private readonly Dictionary<(string Group, string DeduplicationId), (string Body, long ExpiresAt)> _deduplication = [];
    private readonly List<(Message Message, int Receive)> _handles = [];
    private long _now = startMilliseconds;
    private long _accepted;
    private long _completed;
    private int _sends;

    public List<string> Log { get; } = [];

    public int HandleCount => _handles.Count;

    /// <summary>The handle issued <paramref name="back"/> handles before the latest (0 = the latest; -1 when there is none).</summary>
    public int RecentHandle(int back) => _handles.Count - 1 - back;

    /// <summary>
    /// SendMessage. With <c>DeduplicationScope=messageGroup</c> a deduplication id is unique within its
    /// message group: "any messages sent with the same message deduplication ID are accepted
    /// successfully but aren't delivered during the 5-minute deduplication interval". A duplicate is
    /// answered with the original's id, and does not restart the interval.
    /// </summary>
    public void Send(string group, string deduplicationId) => Send($"m{_sends}", group, deduplicationId, nameOriginal: true);

    /// <summary>A send with the caller's body; the log says whether it was a duplicate, not of which message.</summary>
    public void Send(string body, string group, string deduplicationId) => Send(body, group, deduplicationId, nameOriginal: false);

    private void Send(string body, string group, string deduplicationId, bool nameOriginal)
    {
        _sends++;
        if (_deduplication.TryGetValue((group, deduplicationId), out var seen) && seen.ExpiresAt > _now)
        {
            Log.Add($"send {body} {group}/{deduplicationId}: duplicate{(nameOriginal ? " of " + seen.Body : "")}");
            return;
        }

        _deduplication[(group, deduplicationId)] = (body, _now + DeduplicationIntervalMs);
        _messages.Add(new Message(_sends - 1, body, group));
        _accepted++;
        Log.Add($"send {body} {group}/{deduplicationId}: new");
    }

    /// <summary>
    /// ReceiveMessage. "Messages that belong to the same message group are always processed one by one,
    /// in a strict order relative to the message group", and while a message of a group is in flight
    /// ("received but not yet deleted", within its visibility timeout) no later message of that group is
    /// returned; one receive may return several messages of one group, in order. "When the
    /// ReceiveCount for a message exceeds the maxReceiveCount for a queue, Amazon SQS moves the message
    /// to a dead-letter queue": a message already received maxReceiveCount times is moved instead of
    /// delivered, and its group goes on.
    /// </summary>
    public void Receive(int maxMessages, long visibilityMs)
    {
        var locked = _messages.Where(m => m.VisibleAt > _now).Select(m => m.Group).ToHashSet(StringComparer.Ordinal);
        var received = new List<string>();
        foreach (var message in _messages.ToList())
        {
            if (received.Count == maxMessages)
            {
                break;
            }

            if (locked.Contains(message.Group))
            {
                continue;
            }

            if (message.ReceiveCount >= maxReceiveCount)
            {
                _messages.Remove(message);
                _deadLetters.Add(message);
                continue;
            }

            message.ReceiveCount++;
            message.VisibleAt = _now + visibilityMs;
            message.Handle = _handles.Count;
            _handles.Add((message, message.ReceiveCount));
            received.Add($"{message.Body}#{message.ReceiveCount}");
        }

        Log.Add($"receive {maxMessages}: [{string.Join(", ", received)}]");
    }

    /// <summary>
    /// DeleteMessage: "you must provide the most recently received ReceiptHandle for the message
    /// (otherwise, the request succeeds, but the message will not be deleted)". The local port reports
    /// that as false.
    /// </summary>
    public void Delete(int handle) => Log.Add($"delete h{handle}: {DeleteOne(handle)}");

    /// <summary>DeleteMessageBatch: each entry as DeleteMessage would answer it.</summary>
    public void DeleteBatch(IReadOnlyList<int> handles) =>
        Log.Add($"delete batch [{string.Join(", ", handles.Select(h => $"h{h}"))}]: [{string.Join(", ", handles.Select(DeleteOne))}]");

    public void Advance(long milliseconds) => _now += milliseconds;

    /// <summary>The local queue's restart: every lease of the old process is released and its receipt handles are void.</summary>
    public void Restart()
    {
        foreach (var message in _messages.Where(m => m.Handle is not null))
        {
            message.VisibleAt = 0;
            message.Handle = null;
        }
    }

    public QueueSnapshot Snapshot() => new(
        _accepted,
        _completed,
        _messages.Count(m => m.VisibleAt <= _now),
        _messages.Count(m => m.VisibleAt > _now),
        string.Join(", ", _deadLetters.OrderBy(m => m.Sequence).Select(m => $"{m.Body}#{m.ReceiveCount}")));

    public override string ToString() => string.Join('\n', Log) + "\n" + Snapshot();

    private bool DeleteOne(int handle)
    {
        if (Latest(handle) is not { } message)
        {
            return false;
        }

        _messages.Remove(message);
        _completed++;
        return true;
    }

    /// <summary>The message <paramref name="handle"/> was issued for, if it is still that message's latest handle.</summary>
    private Message? Latest(int handle) =>
        handle >= 0 && handle < _handles.Count && _handles[handle].Message is { } message
        && message.Handle == handle && _messages.Contains(message)
            ? message
            : null;

    private sealed class Message(int sequence, string body, string group)
    {
        public int Sequence { get; } = sequence;

        public string Body { get; } = body;

        public string Group { get; } = group;

        public int ReceiveCount { get; set; }

        public long VisibleAt { get; set; }

        public int? Handle { get; set; }
    }
}

/// <summary>What a test can observe of a queue besides each call's answer.</summary>
/// <param name="DeadLetters">
/// The dead-letter queue as <c>body#receiveCount</c>, in the order the messages were sent: within a
/// group that is the order SQS moved them in; across groups SQS promises no order, and the local
/// queue lists the oldest first.
/// </param>
internal sealed record QueueSnapshot(long Accepted, long Completed, long QueueDepth, long InFlight, string DeadLetters);

internal interface IQueueObservations
{
    List<string> Log { get; }

    QueueSnapshot Snapshot();
}
