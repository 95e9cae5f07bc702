namespace SocketRelay.LocalGateway.Queue;

/// <summary>
/// The queue's message groups in memory: each group's queued messages (their sequence numbers, oldest
/// first, in flight or waiting), the groups in head order (the head being a group's oldest message), and
/// the lease the latest receive holds on each group. With it a receive chooses its messages without
/// reading the database: it skips the groups that are locked (at most one per message in flight), takes
/// the oldest messages of the next open groups, and then reads just those rows by primary key, so its
/// cost does not grow with the backlog of any group.
/// </summary>
/// <remarks>
/// The database stays the truth: the index is built from it when the queue opens and rebuilt when a
/// transaction rolls back. Leases live only here (and in the rows' receipt handles), which matches
/// the queue's restart rule: opening the queue releases every lease anyway. It costs 8 bytes per queued
/// message. Not thread safe; the store serializes every call.
/// </remarks>
internal sealed class MessageGroupIndex
{
    private readonly Dictionary<string, MessageGroup> _groups = new(StringComparer.Ordinal);
    private readonly SortedSet<MessageGroup> _byHead = new(Comparer<MessageGroup>.Create((a, b) => a.Head.CompareTo(b.Head)));
    private readonly List<long> _candidates = [];

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

    /// <summary>
    /// A message was stored at <paramref name="sequence"/>, after every message already in its group (a
    /// rebuild calls this for every row, in sequence order).
    /// </summary>
    public void Appended(string groupId, long sequence)
    {
        MessageCount++;
        if (_groups.TryGetValue(groupId, out var group))
        {
            group.Append(sequence);
            return;
        }

        group = new MessageGroup(groupId);
        group.Append(sequence);
        _groups.Add(groupId, group);
        _byHead.Add(group);
    }

    /// <summary>The message at <paramref name="sequence"/> left the queue (deleted or dead-lettered).</summary>
    public void Removed(string groupId, long sequence)
    {
        if (!_groups.TryGetValue(groupId, out var group))
        {
            return;
        }

        if (group.Lease is { } lease && lease.Sequences.Remove(sequence) && lease.Sequences.Count == 0)
        {
            group.Lease = null;
        }

        if (group.Head != sequence)
        {
            MessageCount -= group.Remove(sequence) ? 1 : 0;
            return;
        }

        // The head orders the set: take the group out while it changes.
        _byHead.Remove(group);
        group.Remove(sequence);
        MessageCount--;
        if (group.IsEmpty)
        {
            _groups.Remove(groupId);
        }
        else
        {
            _byHead.Add(group);
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

    /// <summary>
    /// The sequence numbers of the next <paramref name="limit"/> messages in queue order that receive
    /// <paramref name="batch"/> may take at <paramref name="now"/>, ascending: each open group's messages
    /// after what this receive already took from it. A group this receive has not taken from yet starts at its
    /// head, so they can only come from the first <paramref name="limit"/> such groups in head order, or from a
    /// group it already took from; nothing else is looked at.
    /// </summary>
    public IReadOnlyList<long> NextFor(long batch, long now, int limit)
    {
        _candidates.Clear();
        var untouched = 0;
        foreach (var group in _byHead)
        {
            if (untouched == limit)
            {
                break;
            }

            if (group.IsLockedFor(batch, now))
            {
                continue;
            }

            var handedOut = group.HandedOutIn(batch);
            untouched += handedOut == 0 ? 1 : 0;
            group.AddAfter(handedOut, limit, _candidates);
        }

        _candidates.Sort();
        return _candidates.Count > limit ? _candidates[..limit] : [.. _candidates];
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

/// <summary>One message group: its queued messages' sequence numbers, oldest first, and its current lease.</summary>
internal sealed class MessageGroup(string id)
{
    // Oldest first from _start: removing the head (the usual case) only moves _start.
    private readonly List<long> _sequences = [];
    private int _start;

    public string Id { get; } = id;

    /// <summary>The oldest message's sequence number.</summary>
    public long Head => _sequences[_start];

    public bool IsEmpty => _start == _sequences.Count;

    public GroupLease? Lease { get; set; }

    /// <summary>
    /// Whether receive <paramref name="batch"/> must skip this group at <paramref name="now"/>: an
    /// earlier receive's message is still in flight. A receive never locks itself out.
    /// </summary>
    public bool IsLockedFor(long batch, long now) => Lease is { } lease && lease.Batch != batch && lease.VisibleAt > now;

    /// <summary>Whether a message of the group is in flight at <paramref name="now"/>, so a new receive gets nothing from it.</summary>
    public bool IsLockedAt(long now) => Lease is { } lease && lease.VisibleAt > now;

    /// <summary>The last sequence number receive <paramref name="batch"/> handed out of this group; 0 when none.</summary>
    public long HandedOutIn(long batch) => Lease is { } lease && lease.Batch == batch ? lease.Sequences[^1] : 0;

    /// <summary>Adds a message newer than every other of the group.</summary>
    public void Append(long sequence) => _sequences.Add(sequence);

    /// <summary>Adds to <paramref name="into"/> up to <paramref name="count"/> of the group's sequence numbers after <paramref name="after"/>, oldest first.</summary>
    public void AddAfter(long after, int count, List<long> into)
    {
        var i = after == 0 ? _start : IndexAfter(after);
        for (var end = Math.Min(_sequences.Count, i + count); i < end; i++)
        {
            into.Add(_sequences[i]);
        }
    }

    /// <summary>Removes <paramref name="sequence"/>; false when the group does not hold it.</summary>
    public bool Remove(long sequence)
    {
        if (!IsEmpty && _sequences[_start] == sequence)
        {
            _start++;
            if (_start == _sequences.Count)
            {
                _sequences.Clear();
                _start = 0;
            }
            else if (_start > 64 && _start * 2 > _sequences.Count)
            {
                // Compact now and then, so the removed heads do not hold memory.
                _sequences.RemoveRange(0, _start);
                _start = 0;
            }

            return true;
        }

        var index = _sequences.BinarySearch(_start, _sequences.Count - _start, sequence, null);
        if (index < 0)
        {
            return false;
        }

        _sequences.RemoveAt(index);
        return true;
    }

    private int IndexAfter(long sequence)
    {
        var index = _sequences.BinarySearch(_start, _sequences.Count - _start, sequence, null);
        return index >= 0 ? index + 1 : ~index;
    }
}

/// <summary>The messages one receive handed out of a group, in sequence order, and when they become visible again (unix ms).</summary>
internal sealed class GroupLease(long batch, long visibleAt)
{
    public long Batch { get; } = batch;

    public long VisibleAt { get; } = visibleAt;

    public List<long> Sequences { get; } = [];
}
