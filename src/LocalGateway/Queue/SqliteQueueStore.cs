using System.Globalization;
using Microsoft.Data.Sqlite;

namespace SocketRelay.LocalGateway.Queue;

/// <summary>
/// The queue's operations as single SQLite transactions over prepared statements, with the message
/// groups and the counts kept in memory (<see cref="MessageGroupIndex"/>) so that neither a receive
/// nor the stats read more rows as the backlog grows. Each public operation is its own transaction; the
/// <c>…InTransaction</c> ones run inside <see cref="InTransaction"/>, which is how the queue's writer joins
/// many callers' operations into one commit (one disk flush). Not thread safe: <see cref="SqliteFifoQueue"/>
/// makes every call from its one writer thread, as SQLite has a single writer anyway.
/// </summary>
internal sealed class SqliteQueueStore : IDisposable
{
    /// <summary>
    /// The rows of up to ten messages by sequence number (<c>$s0</c>…<c>$s9</c>; an unused slot is NULL and
    /// matches nothing), oldest first: a receive's only read of <c>messages</c>, one execution of primary-key
    /// lookups. Which messages, is the in-memory index's business (<see cref="MessageGroupIndex.NextFor"/>).
    /// </summary>
    internal static readonly string SelectMessagesSql =
        "SELECT sequence, message_id, group_id, deduplication_id, body, attributes, sent_at, first_received_at, receive_count " +
        $"FROM messages WHERE sequence IN ({string.Join(", ", Enumerable.Range(0, SqliteFifoQueue.MaxMessagesPerReceive).Select(slot => $"$s{slot}"))}) ORDER BY sequence;";

    private static readonly long DeduplicationWindowMs = (long)SqliteFifoQueue.DeduplicationWindow.TotalMilliseconds;

    // Expired deduplication ids are harmless (lookups ignore them); sweeping them now and then
    // keeps the table at about five minutes of traffic without a delete on every send. A sweep takes
    // up to four times what was sent since the last one, so it catches up after a burst.
    private const int SendsBetweenDeduplicationSweeps = 1024;
    private const int RowsPerDeduplicationSweep = 4 * SendsBetweenDeduplicationSweeps;

    private readonly SqliteConnection _connection;
    private readonly List<SqliteCommand> _commands = [];
    private readonly SqliteCommand _begin, _commit, _rollback;
    private readonly SqliteCommand _findDuplicate, _scanForDuplicate, _insertMessage, _remember, _countAccepted, _uncountAccepted;
    private readonly SqliteCommand _oldestDeduplicationIds, _forgetDeduplicationIds, _loadDeduplicationIds;
    private readonly SqliteCommand _selectMessages, _deliver, _deadLetter, _removeMessage;
    private readonly SqliteCommand _delete, _countCompleted, _listDeadLetters, _releaseLeases;
    private readonly SqliteCommand _redriveDeadLetters, _removeDeadLetters;
    private readonly SqliteCommand _loadGroups, _loadCounts;
    private readonly MessageGroupIndex _groups = new();
    private readonly DeduplicationIndex _deduplication;
    private long _accepted, _completed, _deadLetterCount;

    // What the open transaction adds to the stored counters: one UPDATE each at its commit, not one per message.
    private long _acceptedInTransaction, _completedInTransaction;
    private int _sendsSinceSweep;
    private readonly SqliteCommand _relaxedSync;
    private readonly SqliteCommand _fullSyncAgain;
    private long _receiveBatch;

    /// <param name="deduplicationHash">The deduplication index's hash of a (group, id) pair; tests pass a colliding one.</param>
    public SqliteQueueStore(SqliteConnection connection, Func<string, string, ulong>? deduplicationHash = null)
    {
        _connection = connection;
        _deduplication = new DeduplicationIndex(deduplicationHash);
        _begin = Prepare("BEGIN IMMEDIATE;");
        _relaxedSync = Prepare("PRAGMA synchronous = NORMAL;");
        _fullSyncAgain = Prepare("PRAGMA synchronous = FULL;");
        _commit = Prepare("COMMIT;");
        _rollback = Prepare("ROLLBACK;");
        // Deduplication is per message group, as the deployed queue's DeduplicationScope: messageGroup. The
        // in-memory index names the row to check; the scan is for the rare pair whose hash another pair took.
        _findDuplicate = Prepare(
            "SELECT group_id, deduplication_id, message_id FROM deduplication WHERE sequence = $sequence AND expires_at > $now;",
            "$sequence", "$now");
        _scanForDuplicate = Prepare(
            "SELECT message_id, sequence FROM deduplication WHERE group_id = $group AND deduplication_id = $id AND expires_at > $now ORDER BY sequence DESC LIMIT 1;",
            "$group", "$id", "$now");
        _insertMessage = Prepare(
            "INSERT INTO messages (message_id, group_id, deduplication_id, body, attributes, sent_at) VALUES ($messageId, $group, $id, $body, $attributes, $now) RETURNING sequence;",
            "$messageId", "$group", "$id", "$body", "$attributes", "$now");
        _remember = Prepare(
            "INSERT INTO deduplication (sequence, group_id, deduplication_id, message_id, expires_at) VALUES ($sequence, $group, $id, $messageId, $expiresAt);",
            "$sequence", "$group", "$id", "$messageId", "$expiresAt");
        _oldestDeduplicationIds = Prepare(
            "SELECT sequence, group_id, deduplication_id, expires_at FROM deduplication ORDER BY sequence LIMIT $limit;", "$limit");
        _forgetDeduplicationIds = Prepare("DELETE FROM deduplication WHERE sequence <= $sequence;", "$sequence");
        _countAccepted = Prepare("UPDATE counters SET value = value + $count WHERE name = 'accepted';", "$count");
        _uncountAccepted = Prepare("UPDATE counters SET value = value - $count WHERE name = 'accepted';", "$count");

        _selectMessages = Prepare(SelectMessagesSql, [.. Enumerable.Range(0, SqliteFifoQueue.MaxMessagesPerReceive).Select(slot => $"$s{slot}")]);
        _deliver = Prepare(
            "UPDATE messages SET receive_count = receive_count + 1, first_received_at = COALESCE(first_received_at, $now), visible_at = $visibleAt, receipt_handle = $handle, receive_batch = $batch WHERE sequence = $sequence;",
            "$now", "$visibleAt", "$handle", "$batch", "$sequence");
        _deadLetter = Prepare(
            "INSERT INTO dead_letters SELECT sequence, message_id, group_id, deduplication_id, body, attributes, sent_at, receive_count, $now, $reason FROM messages WHERE sequence = $sequence;",
            "$now", "$reason", "$sequence");
        _removeMessage = Prepare("DELETE FROM messages WHERE sequence = $sequence;", "$sequence");
        _delete = Prepare("DELETE FROM messages WHERE sequence = $sequence AND receipt_handle = $handle RETURNING group_id;", "$sequence", "$handle");
        _countCompleted = Prepare("UPDATE counters SET value = value + $count WHERE name = 'completed';", "$count");
        _listDeadLetters = Prepare(
            "SELECT message_id, body, group_id, deduplication_id, attributes, receive_count, sent_at, dead_lettered_at, reason FROM dead_letters ORDER BY sequence LIMIT $limit;",
            "$limit");
        _releaseLeases = Prepare("UPDATE messages SET visible_at = 0, receipt_handle = NULL WHERE receipt_handle IS NOT NULL;");

        // Back to the tail of the queue, oldest dead letter first, as new rows (new sequence numbers):
        // FIFO order is the order of the queue, and a redriven message was sent before what now waits.
        _redriveDeadLetters = Prepare(
            """
            INSERT INTO messages (message_id, group_id, deduplication_id, body, attributes, sent_at)
            SELECT message_id, group_id, deduplication_id, body, attributes, sent_at FROM dead_letters
            WHERE $id IS NULL OR message_id = $id ORDER BY sequence
            RETURNING message_id, group_id, sequence;
            """,
            "$id");
        _removeDeadLetters = Prepare("DELETE FROM dead_letters WHERE $id IS NULL OR message_id = $id;", "$id");

        // Read once when the queue opens (and after a rollback): everything after is kept in memory.
        _loadGroups = Prepare("SELECT group_id, sequence FROM messages ORDER BY sequence;");
        _loadDeduplicationIds = Prepare("SELECT group_id, deduplication_id, sequence FROM deduplication ORDER BY sequence;");
        _loadCounts = Prepare(
            "SELECT (SELECT value FROM counters WHERE name = 'accepted'), (SELECT value FROM counters WHERE name = 'completed'), (SELECT COUNT(*) FROM dead_letters);");
        LoadIndex();
    }

    /// <summary>
    /// Says why a message is being dead-lettered beyond its receive count (e.g. the last
    /// <c>@connections</c> answer); null when nothing is known. Called inside the receive's transaction.
    /// </summary>
    public Func<string, string?>? LastFailure { get; set; }

    /// <summary>Stores the messages in one transaction; a duplicate may refer to an earlier message of the same list.</summary>
    public IReadOnlyList<SendResult> Send(IReadOnlyList<OutgoingMessage> messages, long now) =>
        InTransaction(durable: true, () => messages.Select(message => SendInTransaction(message, now)).ToList());

    /// <summary>
    /// Stores one message (or finds it a duplicate of one in its group's deduplication window); inside
    /// <see cref="InTransaction"/>, whose commit makes it durable.
    /// </summary>
    public SendResult SendInTransaction(OutgoingMessage message, long now)
    {
        if (++_sendsSinceSweep >= SendsBetweenDeduplicationSweeps)
        {
            _sendsSinceSweep = 0;
            ForgetExpiredDeduplicationIds(now, RowsPerDeduplicationSweep);
        }

        return SendOne(message, now);
    }

    /// <summary>
    /// Receives in its own transaction, at <c>synchronous=NORMAL</c> as <see cref="ReceiveInTransaction"/>
    /// explains; touches the database not at all when no group is open.
    /// </summary>
    public IReadOnlyList<ReceivedMessage> Receive(int maxMessages, long now, long visibleAt, int maxReceiveCount, string senderId) =>
        HasOpenGroup(now)
            ? InTransaction(durable: false, () => ReceiveInTransaction(maxMessages, now, visibleAt, maxReceiveCount, senderId)).Messages
            : [];

    /// <summary>Whether any group could deliver a message at <paramref name="now"/>: a receive without one needs no SQL.</summary>
    public bool HasOpenGroup(long now) => _groups.InQueueOrder.Any(group => !group.IsLockedAt(now));

    /// <summary>
    /// Takes up to <paramref name="maxMessages"/> messages in queue order from the groups open to this
    /// receive, and moves those received <paramref name="maxReceiveCount"/> times to the dead-letter queue
    /// instead. A receive only takes leases, counts receives and dead-letters: none of that must survive a
    /// power loss (leases are released on the next open anyway; a lost dead-lettering leaves the message in
    /// the queue), and WAL commits at <c>synchronous=NORMAL</c> still survive a crash of the process, so a
    /// transaction of receives alone may skip the fsync (<see cref="InTransaction"/>'s <c>durable: false</c>).
    /// When no group is open it reads nothing.
    /// </summary>
    public ReceiveResult ReceiveInTransaction(int maxMessages, long now, long visibleAt, int maxReceiveCount, string senderId)
    {
        var batch = ++_receiveBatch;
        var deadLettered = new List<(string MessageId, string Reason)>();
        if (!HasOpenGroup(now))
        {
            return new ReceiveResult([], deadLettered);
        }

        var received = new List<ReceivedMessage>(maxMessages);
        while (received.Count < maxMessages)
        {
            var candidates = ReadCandidates(now, batch, maxMessages - received.Count);
            var movedAny = false;
            foreach (var candidate in candidates)
            {
                if (candidate.ReceiveCount >= maxReceiveCount)
                {
                    deadLettered.Add(MoveToDeadLetters(candidate, now, maxReceiveCount));
                    movedAny = true;
                    continue;
                }

                var handle = ReceiptHandle.Create(candidate.Sequence);
                Run(_deliver, now, visibleAt, handle, batch, candidate.Sequence).ExecuteNonQuery();
                _groups.Leased(candidate.GroupId, candidate.Sequence, batch, visibleAt);
                received.Add(candidate.ToReceived(handle, now, senderId));
            }

            // Only a dead-lettered head can make more of its group deliverable; otherwise the
            // candidates were already everything there is.
            if (!movedAny)
            {
                break;
            }
        }

        return new ReceiveResult(received, deadLettered);
    }

    public bool Delete(long sequence, string receiptHandle) => DeleteMany([(sequence, receiptHandle)])[0];

    /// <summary>
    /// Deletes each (sequence, handle) pair whose handle is the message's latest, all in one
    /// transaction; true for each message deleted.
    /// </summary>
    public IReadOnlyList<bool> DeleteMany(IReadOnlyList<(long Sequence, string ReceiptHandle)> messages) =>
        InTransaction(durable: true, () => DeleteManyInTransaction(messages));

    /// <summary><see cref="DeleteMany"/> inside <see cref="InTransaction"/>, whose commit makes the deletes durable.</summary>
    public IReadOnlyList<bool> DeleteManyInTransaction(IReadOnlyList<(long Sequence, string ReceiptHandle)> messages)
    {
        var deleted = new bool[messages.Count];
        for (var i = 0; i < messages.Count; i++)
        {
            if (Run(_delete, messages[i].Sequence, messages[i].ReceiptHandle).ExecuteScalar() is string groupId)
            {
                _completedInTransaction++;
                _completed++;
                _groups.Removed(groupId, messages[i].Sequence);
                deleted[i] = true;
            }
        }

        return deleted;
    }

    /// <summary>The counts, all kept in memory: no row is read.</summary>
    public QueueStats GetStats(long now)
    {
        var inFlight = _groups.InFlight(now);
        return new QueueStats(_accepted, _completed, _groups.MessageCount - inFlight, inFlight, _deadLetterCount);
    }

    public IReadOnlyList<DeadLetter> ListDeadLetters(int maxCount)
    {
        using var reader = Run(_listDeadLetters, maxCount).ExecuteReader();
        var deadLetters = new List<DeadLetter>();
        while (reader.Read())
        {
            deadLetters.Add(new DeadLetter(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                MessageAttributesCodec.Decode(reader.GetString(4)), reader.GetInt32(5), reader.GetInt64(6), reader.GetInt64(7), reader.GetString(8)));
        }

        return deadLetters;
    }

    /// <summary>Moves the dead letters (all, or the one with <paramref name="messageId"/>) back to the queue; returns their ids in queue order.</summary>
    public IReadOnlyList<string> RedriveDeadLetters(string? messageId) => InTransaction(durable: true, () =>
    {
        var moved = new List<string>();
        using (var reader = Run(_redriveDeadLetters, (object?)messageId ?? DBNull.Value).ExecuteReader())
        {
            while (reader.Read())
            {
                moved.Add(reader.GetString(0));
                _groups.Appended(reader.GetString(1), reader.GetInt64(2));
            }
        }

        _deadLetterCount -= Run(_removeDeadLetters, (object?)messageId ?? DBNull.Value).ExecuteNonQuery();
        return (IReadOnlyList<string>)moved;
    });

    /// <summary>
    /// Removes the dead letter for good, and from both sides of <c>accepted == completed + dead
    /// letters</c>: the message leaves the accepted count too, so the balance still holds after a drain.
    /// </summary>
    public bool DeleteDeadLetter(string messageId) => InTransaction(durable: true, () =>
    {
        var removed = Run(_removeDeadLetters, messageId).ExecuteNonQuery();
        Run(_uncountAccepted, removed).ExecuteNonQuery();
        _deadLetterCount -= removed;
        _accepted -= removed;
        return removed > 0;
    });

    public int ReleaseLeases() => Run(_releaseLeases).ExecuteNonQuery();

    /// <summary>
    /// Deletes the expired deduplication ids at the start of the table (in send order), up to
    /// <paramref name="limit"/> rows (-1: all of them), and forgets them in the index.
    /// </summary>
    /// <returns>How many rows were deleted.</returns>
    public int ForgetExpiredDeduplicationIds(long now, int limit = -1)
    {
        var expired = new List<(long Sequence, string GroupId, string DeduplicationId)>();
        using (var reader = Run(_oldestDeduplicationIds, limit).ExecuteReader())
        {
            // Stop at the first id still in its window: the table is swept as a prefix, which the index relies on.
            while (reader.Read() && reader.GetInt64(3) <= now)
            {
                expired.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2)));
            }
        }

        if (expired.Count == 0)
        {
            return 0;
        }

        Run(_forgetDeduplicationIds, expired[^1].Sequence).ExecuteNonQuery();
        foreach (var (sequence, groupId, deduplicationId) in expired)
        {
            _deduplication.Forgotten(_deduplication.KeyOf(groupId, deduplicationId), sequence);
        }

        return expired.Count;
    }

    /// <summary>Deduplication ids the in-memory index holds now (for tests of its bound).</summary>
    internal int RememberedDeduplicationIds => _deduplication.Count;

    public void Dispose()
    {
        foreach (var command in _commands)
        {
            command.Dispose();
        }

        _connection.Dispose();
    }

    private SendResult SendOne(OutgoingMessage message, long now)
    {
        var key = _deduplication.KeyOf(message.MessageGroupId, message.MessageDeduplicationId);
        if (FindDuplicate(key, message.MessageGroupId, message.MessageDeduplicationId, now) is { } duplicate)
        {
            return duplicate;
        }

        var messageId = RandomBytes.NewGuid().ToString();
        var sequence = (long)Run(_insertMessage, messageId, message.MessageGroupId, message.MessageDeduplicationId,
            message.Body, MessageAttributesCodec.Encode(message.MessageAttributes), now).ExecuteScalar()!;
        Run(_remember, sequence, message.MessageGroupId, message.MessageDeduplicationId, messageId, now + DeduplicationWindowMs).ExecuteNonQuery();
        _deduplication.Remembered(key, sequence);
        _acceptedInTransaction++;
        _accepted++;
        _groups.Appended(message.MessageGroupId, sequence);
        return new SendResult(messageId, FormatSequence(sequence), IsDuplicate: false);
    }

    /// <summary>The message sent with this group and deduplication id within the window, if any: no SQL at all when the index knows no such id.</summary>
    private SendResult? FindDuplicate(ulong key, string groupId, string deduplicationId, long now)
    {
        if (!_deduplication.TryFind(key, out var newest))
        {
            return null;
        }

        using (var row = Run(_findDuplicate, newest, now).ExecuteReader())
        {
            if (!row.Read())
            {
                return null; // Expired: the newest message with this hash is out of its window, so every older one is too.
            }

            if (row.GetString(0) == groupId && row.GetString(1) == deduplicationId)
            {
                return new SendResult(row.GetString(2), FormatSequence(newest), IsDuplicate: true);
            }
        }

        // Another pair holds this hash: look for this one the slow way.
        using var scan = Run(_scanForDuplicate, groupId, deduplicationId, now).ExecuteReader();
        return scan.Read() ? new SendResult(scan.GetString(0), FormatSequence(scan.GetInt64(1)), IsDuplicate: true) : null;
    }

    /// <summary>
    /// The next <paramref name="limit"/> messages in queue order among the groups open to receive
    /// <paramref name="batch"/>, after what it already handed out: chosen in memory, read by primary key.
    /// </summary>
    private List<Candidate> ReadCandidates(long now, long batch, int limit)
    {
        var sequences = _groups.NextFor(batch, now, limit);
        var parameters = _selectMessages.Parameters;
        for (var slot = 0; slot < SqliteFifoQueue.MaxMessagesPerReceive; slot++)
        {
            parameters[slot].Value = slot < sequences.Count ? sequences[slot] : DBNull.Value;
        }

        var candidates = new List<Candidate>(sequences.Count);
        using var reader = _selectMessages.ExecuteReader();
        while (reader.Read())
        {
            candidates.Add(new Candidate(
                reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetString(5), reader.GetInt64(6), reader.IsDBNull(7) ? null : reader.GetInt64(7), reader.GetInt32(8)));
        }

        return candidates;
    }

    private (string MessageId, string Reason) MoveToDeadLetters(Candidate candidate, long now, int maxReceiveCount)
    {
        var reason = $"Received {maxReceiveCount} {(maxReceiveCount == 1 ? "time" : "times")} without being deleted (maxReceiveCount {maxReceiveCount}).";
        if (LastFailure?.Invoke(candidate.MessageId) is { } lastFailure)
        {
            reason += $" Last failure: {lastFailure}";
        }

        Run(_deadLetter, now, reason, candidate.Sequence).ExecuteNonQuery();
        Run(_removeMessage, candidate.Sequence).ExecuteNonQuery();
        _deadLetterCount++;
        _groups.Removed(candidate.GroupId, candidate.Sequence);
        return (candidate.MessageId, reason);
    }

    /// <summary>Reads the groups and counts from the database; everything kept in memory starts here.</summary>
    private void LoadIndex()
    {
        _groups.Clear();
        using (var reader = Run(_loadGroups).ExecuteReader())
        {
            while (reader.Read())
            {
                _groups.Appended(reader.GetString(0), reader.GetInt64(1));
            }
        }

        _deduplication.Clear();
        using (var reader = Run(_loadDeduplicationIds).ExecuteReader())
        {
            while (reader.Read())
            {
                _deduplication.Remembered(_deduplication.KeyOf(reader.GetString(0), reader.GetString(1)), reader.GetInt64(2));
            }
        }

        using var counts = Run(_loadCounts).ExecuteReader();
        counts.Read();
        (_accepted, _completed, _deadLetterCount) = (counts.GetInt64(0), counts.GetInt64(1), counts.GetInt64(2));
    }

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction. A <paramref name="durable"/> commit is flushed to disk
    /// (<c>synchronous=FULL</c>) before this returns; otherwise it survives a crash of the process but not a
    /// power loss (<c>NORMAL</c>, for receives alone).
    /// </summary>
    /// <remarks>
    /// The work updates the in-memory index as it goes; when the transaction rolls back, the index
    /// is read again from the database, which is what the rollback left, and the error is rethrown.
    /// </remarks>
    public T InTransaction<T>(bool durable, Func<T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (!durable)
        {
            _relaxedSync.ExecuteNonQuery();
        }

        try
        {
            _begin.ExecuteNonQuery();
            try
            {
                var result = work();
                CountInTransaction();
                _commit.ExecuteNonQuery();
                return result;
            }
            catch
            {
                TryRollback();
                TryReloadIndex();
                throw;
            }
        }
        finally
        {
            (_acceptedInTransaction, _completedInTransaction) = (0, 0);
            if (!durable)
            {
                _fullSyncAgain.ExecuteNonQuery();
            }
        }
    }

    private void CountInTransaction()
    {
        if (_acceptedInTransaction > 0)
        {
            Run(_countAccepted, _acceptedInTransaction).ExecuteNonQuery();
        }

        if (_completedInTransaction > 0)
        {
            Run(_countCompleted, _completedInTransaction).ExecuteNonQuery();
        }
    }

    private void TryRollback()
    {
        try
        {
            _rollback.ExecuteNonQuery();
        }
        catch (SqliteException)
        {
            // SQLite already rolled back on its own (e.g. a full disk); the original error is what matters.
        }
    }

    private void TryReloadIndex()
    {
        try
        {
            LoadIndex();
        }
        catch (SqliteException)
        {
            // The database cannot even be read; every later call fails on it as well.
        }
    }

    private SqliteCommand Prepare(string sql, params string[] parameterNames)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameterNames)
        {
            command.Parameters.Add(new SqliteParameter(name, DBNull.Value));
        }

        command.Prepare();
        _commands.Add(command);
        return command;
    }

    private static SqliteCommand Run(SqliteCommand command, params object[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i];
        }

        return command;
    }

    private static string FormatSequence(long sequence) => sequence.ToString(CultureInfo.InvariantCulture);

    private sealed record Candidate(
        long Sequence, string MessageId, string GroupId, string DeduplicationId, string Body,
        string Attributes, long SentAt, long? FirstReceivedAt, int ReceiveCount)
    {
        public ReceivedMessage ToReceived(string receiptHandle, long now, string senderId) => new(
            MessageId, receiptHandle, Body, GroupId, DeduplicationId, MessageAttributesCodec.Decode(Attributes),
            ReceiveCount + 1, SentAt, FirstReceivedAt ?? now, FormatSequence(Sequence), senderId);
    }
}

/// <summary>What one receive handed out, and what it moved to the dead-letter queue instead (with the reason).</summary>
internal sealed record ReceiveResult(IReadOnlyList<ReceivedMessage> Messages, IReadOnlyList<(string MessageId, string Reason)> DeadLettered);
