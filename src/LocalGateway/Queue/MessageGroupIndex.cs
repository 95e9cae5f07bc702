namespace SocketRelay.LocalGateway.Queue;

/// <summary>
/// The queue's message groups in memory: each group's head (the sequence number of its oldest
/// message still in the queue), the groups in head order, and the lease the latest receive holds on
/// each group. With it a receive walks groups, not messages: it skips the groups that are locked
/// (at most one per message in flight) and reads the first messages of the next open groups through
/// the <c>(group_id, sequence)</c> index, so its cost does not grow with the backlog of a locked group.
/// </summary>
/// <remarks>
/// The database stays the truth: the index is built from it when the queue opens and rebuilt when a
/// transaction rolls back. Leases live only here (and in the rows' receipt handles), which matches
/// the queue's restart rule: opening the queue releases every lease anyway. Not thread safe; the
/// store serializes every call.
/// </remarks>
internal sealed class MessageGroupIndex
{
    private readonly Dictionary<string, MessageGroup> _groups = new(StringComparer.Ordinal);
    private readonly SortedSet<MessageGroup> _byHead = new(Comparer<MessageGroup>.Create((a, b) => a.Head.CompareTo(b.Head)));

    /// <summary>Messages in the queue, waiting or in flight (dead letters excluded).</summary>
    public long MessageCount { get; private set; }

    /// <summary>The groups with at least one message, oldest head first.</summary>
    public IEnumerable<MessageGroup> InQueueOrder => _byHead;

    /// <summary>Forgets everything, before a rebuild.</summary>
    public void Clear()
    {
        _groups.Clear();
        _byHead.Clear();
        MessageCount = 0;
    }

    /// <summary>A rebuild's row: a group with <paramref name="messages"/> messages, the oldest at <paramref name="head"/>.</summary>
    public void Load(string groupId, long head, long messages)
    {
        var group = new MessageGroup(groupId, head);
        _groups.Add(groupId, group);
        _byHead.Add(group);
        MessageCount += messages;
    }

    /// <summary>A message was stored at <paramref name="sequence"/>, after every message already in its group.</summary>
    public void Appended(string groupId, long sequence)
    {
        MessageCount++;
        if (!_groups.ContainsKey(groupId))
        {
            var group = new MessageGroup(groupId, sequence);
            _groups.Add(groupId, group);
            _byHead.Add(group);
        }
    }

    /// <summary>
    /// The message at <paramref name="sequence"/> left the queue (deleted or dead-lettered). When it
    /// was its group's head, <paramref name="nextInGroup"/> finds the new head (null: the group is empty).
    /// </summary>
    public void Removed(string groupId, long sequence, Func<string, long, long?> nextInGroup)
    {
        if (!_groups.TryGetValue(groupId, out var group))
        {
            return;
        }

        MessageCount--;
        if (group.Lease is { } lease && lease.Sequences.Remove(sequence) && lease.Sequences.Count == 0)
        {
            group.Lease = null;
        }

        if (group.Head != sequence)
        {
            return;
        }

        _byHead.Remove(group);
        if (nextInGroup(groupId, sequence) is { } next)
        {
            group.Head = next;
            _byHead.Add(group);
        }
        else
        {
            _groups.Remove(groupId);
        }
    }

    /// <summary>Receive <paramref name="batch"/> handed out the message at <paramref name="sequence"/>; its group is locked until <paramref name="visibleAt"/>.</summary>
    public void Leased(string groupId, long sequence, long batch, long visibleAt)
    {
        var group = _groups[groupId];
        if (group.Lease is not { } lease || lease.Batch != batch)
        {
            // A new receive of this group: the group was open, so any earlier lease had expired.
            lease = new GroupLease(batch, visibleAt);
            group.Lease = lease;
        }

        lease.Sequences.Add(sequence);
    }

    /// <summary>Messages received and neither deleted nor expired at <paramref name="now"/> (unix ms).</summary>
    public long InFlight(long now)
    {
        var inFlight = 0L;
        foreach (var group in _groups.Values)
        {
            if (group.Lease is { } lease && lease.VisibleAt > now)
            {
                inFlight += lease.Sequences.Count;
            }
        }

        return inFlight;
    }
}

/// <summary>One message group: its head (oldest message's sequence number) and its current lease.</summary>
internal sealed class MessageGroup(string id, long head)
{
    public string Id { get; } = id;

    public long Head { get; set; } = head;

    public GroupLease? Lease { get; set; }

    /// <summary>
    /// Whether receive <paramref name="batch"/> must skip this group at <paramref name="now"/>: an
    /// earlier receive's message is still in flight. A receive never locks itself out.
    /// </summary>
    public bool IsLockedFor(long batch, long now) => Lease is { } lease && lease.Batch != batch && lease.VisibleAt > now;

    /// <summary>The last sequence number receive <paramref name="batch"/> handed out of this group; 0 when none.</summary>
    public long HandedOutIn(long batch) => Lease is { } lease && lease.Batch == batch ? lease.Sequences[^1] : 0;
}

/// <summary>The messages one receive handed out of a group, in sequence order, and when they become visible again (unix ms).</summary>
internal sealed class GroupLease(long batch, long visibleAt)
{
    public long Batch { get; } = batch;

    public long VisibleAt { get; } = visibleAt;

    public List<long> Sequences { get; } = [];
}
