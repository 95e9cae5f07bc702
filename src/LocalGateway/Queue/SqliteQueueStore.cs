using System.Globalization;
using Microsoft.Data.Sqlite;

namespace SocketRelay.LocalGateway.Queue;

/// <summary>
/// The queue's operations as single SQLite transactions over prepared statements, with the message
/// groups and the counts kept in memory (<see cref="MessageGroupIndex"/>) so that neither a receive
/// nor the stats read more rows as the backlog grows. Not thread safe: <see cref="SqliteFifoQueue"/>
/// serializes every call, as SQLite has a single writer anyway.
/// </summary>
internal sealed class SqliteQueueStore : IDisposable
{
    /// <summary>
    /// The next messages of up to ten open groups (<c>$g0</c>…<c>$g9</c>, each after <c>$a0</c>…<c>$a9</c>;
    /// an unused slot's group is NULL and matches nothing), oldest first: a receive's only read of
    /// <c>messages</c>, one execution however many groups it reads. Each slot is a range of the
    /// <c>(group_id, sequence)</c> index cut off at <c>$limit</c> rows, so a long backlog in any group costs nothing.
    /// </summary>
    internal static readonly string SelectGroupMessagesSql = string.Join(
        "\nUNION ALL\n",
        Enumerable.Range(0, SqliteFifoQueue.MaxMessagesPerReceive).Select(slot =>
            $"SELECT * FROM (SELECT sequence, message_id, group_id, deduplication_id, body, attributes, sent_at, first_received_at, receive_count " +
            $"FROM messages WHERE group_id = $g{slot} AND sequence > $a{slot} ORDER BY sequence LIMIT $limit)"))
        + "\nORDER BY sequence LIMIT $limit;";

    /// <summary>A group's next head after <c>$after</c> left the queue.</summary>
    internal const string NextInGroupSql = "SELECT sequence FROM messages WHERE group_id = $group AND sequence > $after ORDER BY sequence LIMIT 1;";

    private static readonly long DeduplicationWindowMs = (long)SqliteFifoQueue.DeduplicationWindow.TotalMilliseconds;

    private readonly SqliteConnection _connection;
    private readonly List<SqliteCommand> _commands = [];
    private readonly SqliteCommand _begin, _commit, _rollback;
    private readonly SqliteCommand _findDuplicate, _insertMessage, _remember, _forgetExpired, _countAccepted, _uncountAccepted;
    private readonly SqliteCommand _selectGroupMessages, _nextInGroup, _deliver, _deadLetter, _removeMessage;
    private readonly SqliteCommand _delete, _countCompleted, _listDeadLetters, _releaseLeases;
    private readonly SqliteCommand _redriveDeadLetters, _removeDeadLetters;
    private readonly SqliteCommand _loadGroups, _loadCounts;
    private readonly MessageGroupIndex _groups = new();
    private long _accepted, _completed, _deadLetterCount;
    private readonly List<(string MessageId, string Reason)> _deadLettered = [];
    private readonly SqliteCommand _relaxedSync;
    private readonly SqliteCommand _fullSyncAgain;
    private long _receiveBatch;

    public SqliteQueueStore(SqliteConnection connection)
    {
        _connection = connection;
        _begin = Prepare("BEGIN IMMEDIATE;");
        _relaxedSync = Prepare("PRAGMA synchronous = NORMAL;");
        _fullSyncAgain = Prepare("PRAGMA synchronous = FULL;");
        _commit = Prepare("COMMIT;");
        _rollback = Prepare("ROLLBACK;");
        // Deduplication is per message group, as the deployed queue's DeduplicationScope: messageGroup.
        _findDuplicate = Prepare(
            "SELECT message_id, sequence FROM deduplication WHERE group_id = $group AND deduplication_id = $id AND expires_at > $now;",
            "$group", "$id", "$now");
        _insertMessage = Prepare(
            "INSERT INTO messages (message_id, group_id, deduplication_id, body, attributes, sent_at) VALUES ($messageId, $group, $id, $body, $attributes, $now) RETURNING sequence;",
            "$messageId", "$group", "$id", "$body", "$attributes", "$now");
        _remember = Prepare(
            "INSERT OR REPLACE INTO deduplication (group_id, deduplication_id, message_id, sequence, expires_at) VALUES ($group, $id, $messageId, $sequence, $expiresAt);",
            "$group", "$id", "$messageId", "$sequence", "$expiresAt");
        _forgetExpired = Prepare("DELETE FROM deduplication WHERE expires_at <= $now;", "$now");
        _countAccepted = Prepare("UPDATE counters SET value = value + 1 WHERE name = 'accepted';");
        _uncountAccepted = Prepare("UPDATE counters SET value = value - $count WHERE name = 'accepted';", "$count");

        // One open group's next messages, through the (group_id, sequence) index: which groups are
        // open, and in what order, is the index's business (MessageGroupIndex).
        _selectGroupMessages = Prepare(
            SelectGroupMessagesSql,
            [.. Enumerable.Range(0, SqliteFifoQueue.MaxMessagesPerReceive).SelectMany(slot => new[] { $"$g{slot}", $"$a{slot}" }), "$limit"]);
        _nextInGroup = Prepare(NextInGroupSql, "$group", "$after");
        _deliver = Prepare(
            "UPDATE messages SET receive_count = receive_count + 1, first_received_at = COALESCE(first_received_at, $now), visible_at = $visibleAt, receipt_handle = $handle, receive_batch = $batch WHERE sequence = $sequence;",
            "$now", "$visibleAt", "$handle", "$batch", "$sequence");
        _deadLetter = Prepare(
            "INSERT INTO dead_letters SELECT sequence, message_id, group_id, deduplication_id, body, attributes, sent_at, receive_count, $now, $reason FROM messages WHERE sequence = $sequence;",
            "$now", "$reason", "$sequence");
        _removeMessage = Prepare("DELETE FROM messages WHERE sequence = $sequence;", "$sequence");
        _delete = Prepare("DELETE FROM messages WHERE sequence = $sequence AND receipt_handle = $handle RETURNING group_id;", "$sequence", "$handle");
        _countCompleted = Prepare("UPDATE counters SET value = value + 1 WHERE name = 'completed';");
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
        _loadGroups = Prepare("SELECT group_id, MIN(sequence), COUNT(*) FROM messages GROUP BY group_id;");
        _loadCounts = Prepare(
            "SELECT (SELECT value FROM counters WHERE name = 'accepted'), (SELECT value FROM counters WHERE name = 'completed'), (SELECT COUNT(*) FROM dead_letters);");
        LoadIndex();
    }

    /// <summary>
    /// Says why a message is being dead-lettered beyond its receive count (e.g. the last
    /// <c>@connections</c> answer); null when nothing is known. Called inside the receive's transaction.
    /// </summary>
    public Func<string, string?>? LastFailure { get; set; }

    /// <summary>The messages the last <see cref="Receive"/> moved to the dead-letter queue, with their reason.</summary>
    public IReadOnlyList<(string MessageId, string Reason)> LastDeadLettered => _deadLettered;

    /// <summary>Stores the messages in one transaction; a duplicate may refer to an earlier message of the same list.</summary>
    public IReadOnlyList<SendResult> Send(IReadOnlyList<OutgoingMessage> messages, long now) => InTransaction(() =>
    {
        var results = new SendResult[messages.Count];
        for (var i = 0; i < messages.Count; i++)
        {
            results[i] = SendOne(messages[i], now);
        }

        return (IReadOnlyList<SendResult>)results;
    });

    /// <summary>
    /// A receive only takes leases, counts receives and dead-letters: none of that must survive a
    /// power loss (leases are released on the next open anyway; a lost dead-lettering leaves the
    /// message in the queue), and WAL commits at <c>synchronous=NORMAL</c> still survive a crash of
    /// the process. So a receive skips the fsync that sends and deletes pay, and when no group is
    /// open it touches the database not at all.
    /// </summary>
    public IReadOnlyList<ReceivedMessage> Receive(int maxMessages, long now, long visibleAt, int maxReceiveCount, string senderId)
    {
        _deadLettered.Clear();
        var batch = ++_receiveBatch;
        if (!_groups.InQueueOrder.Any(group => !group.IsLockedFor(batch, now)))
        {
            return [];
        }

        _relaxedSync.ExecuteNonQuery();
        try
        {
            return ReceiveInTransaction(maxMessages, now, visibleAt, maxReceiveCount, senderId, batch);
        }
        finally
        {
            _fullSyncAgain.ExecuteNonQuery();
        }
    }

    private IReadOnlyList<ReceivedMessage> ReceiveInTransaction(int maxMessages, long now, long visibleAt, int maxReceiveCount, string senderId, long batch) => InTransaction(() =>
    {
        var received = new List<ReceivedMessage>(maxMessages);
        while (received.Count < maxMessages)
        {
            var candidates = ReadCandidates(now, batch, maxMessages - received.Count);
            var deadLettered = false;
            foreach (var candidate in candidates)
            {
                if (candidate.ReceiveCount >= maxReceiveCount)
                {
                    MoveToDeadLetters(candidate, now, maxReceiveCount);
                    deadLettered = true;
                    continue;
                }

                var handle = ReceiptHandle.Create(candidate.Sequence);
                Run(_deliver, now, visibleAt, handle, batch, candidate.Sequence).ExecuteNonQuery();
                _groups.Leased(candidate.GroupId, candidate.Sequence, batch, visibleAt);
                received.Add(candidate.ToReceived(handle, now, senderId));
            }

            // Only a dead-lettered head can make more of its group deliverable; otherwise the
            // candidates were already everything there is.
            if (!deadLettered)
            {
                break;
            }
        }

        return (IReadOnlyList<ReceivedMessage>)received;
    });

    public bool Delete(long sequence, string receiptHandle) => DeleteMany([(sequence, receiptHandle)])[0];

    /// <summary>
    /// Deletes each (sequence, handle) pair whose handle is the message's latest, all in one
    /// transaction; true for each message deleted.
    /// </summary>
    public IReadOnlyList<bool> DeleteMany(IReadOnlyList<(long Sequence, string ReceiptHandle)> messages) => InTransaction(() =>
    {
        var deleted = new bool[messages.Count];
        for (var i = 0; i < messages.Count; i++)
        {
            if (Run(_delete, messages[i].Sequence, messages[i].ReceiptHandle).ExecuteScalar() is string groupId)
            {
                Run(_countCompleted).ExecuteNonQuery();
                _completed++;
                _groups.Removed(groupId, messages[i].Sequence, NextInGroup);
                deleted[i] = true;
            }
        }

        return (IReadOnlyList<bool>)deleted;
    });

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
    public IReadOnlyList<string> RedriveDeadLetters(string? messageId) => InTransaction(() =>
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
    public bool DeleteDeadLetter(string messageId) => InTransaction(() =>
    {
        var removed = Run(_removeDeadLetters, messageId).ExecuteNonQuery();
        Run(_uncountAccepted, removed).ExecuteNonQuery();
        _deadLetterCount -= removed;
        _accepted -= removed;
        return removed > 0;
    });

    public int ReleaseLeases() => Run(_releaseLeases).ExecuteNonQuery();

    public void ForgetExpiredDeduplicationIds(long now) => Run(_forgetExpired, now).ExecuteNonQuery();

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
        using (var duplicate = Run(_findDuplicate, message.MessageGroupId, message.MessageDeduplicationId, now).ExecuteReader())
        {
            if (duplicate.Read())
            {
                return new SendResult(duplicate.GetString(0), FormatSequence(duplicate.GetInt64(1)), IsDuplicate: true);
            }
        }

        var messageId = Guid.NewGuid().ToString();
        var sequence = (long)Run(_insertMessage, messageId, message.MessageGroupId, message.MessageDeduplicationId,
            message.Body, MessageAttributesCodec.Encode(message.MessageAttributes), now).ExecuteScalar()!;
        Run(_remember, message.MessageGroupId, message.MessageDeduplicationId, messageId, sequence, now + DeduplicationWindowMs).ExecuteNonQuery();
        Run(_countAccepted).ExecuteNonQuery();
        _accepted++;
        _groups.Appended(message.MessageGroupId, sequence);
        return new SendResult(messageId, FormatSequence(sequence), IsDuplicate: false);
    }

    /// <summary>
    /// The next <paramref name="limit"/> messages in queue order among the groups open to receive
    /// <paramref name="batch"/>, after what it already handed out. A group this receive has not taken
    /// from yet starts at its head, so they can only come from the first <paramref name="limit"/> such
    /// groups in head order, or from a group it already took from (at most one per message handed out,
    /// so all of them fit the ten slots with the others). One read of those groups finds them.
    /// </summary>
    private List<Candidate> ReadCandidates(long now, long batch, int limit)
    {
        var parameters = _selectGroupMessages.Parameters;
        var (slot, untouched) = (0, 0);
        foreach (var group in _groups.InQueueOrder)
        {
            if (untouched == limit || slot == SqliteFifoQueue.MaxMessagesPerReceive)
            {
                break;
            }

            if (group.IsLockedFor(batch, now))
            {
                continue;
            }

            var handedOut = group.HandedOutIn(batch);
            untouched += handedOut == 0 ? 1 : 0;
            parameters[2 * slot].Value = group.Id;
            parameters[(2 * slot) + 1].Value = handedOut;
            slot++;
        }

        for (var unused = slot; unused < SqliteFifoQueue.MaxMessagesPerReceive; unused++)
        {
            parameters[2 * unused].Value = DBNull.Value;
            parameters[(2 * unused) + 1].Value = 0L;
        }

        parameters[^1].Value = limit;
        var candidates = new List<Candidate>(limit);
        using var reader = _selectGroupMessages.ExecuteReader();
        while (reader.Read())
        {
            candidates.Add(new Candidate(
                reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetString(5), reader.GetInt64(6), reader.IsDBNull(7) ? null : reader.GetInt64(7), reader.GetInt32(8)));
        }

        return candidates;
    }

    private long? NextInGroup(string groupId, long after) => Run(_nextInGroup, groupId, after).ExecuteScalar() is long next ? next : null;

    private void MoveToDeadLetters(Candidate candidate, long now, int maxReceiveCount)
    {
        var reason = $"Received {maxReceiveCount} times without being deleted (maxReceiveCount {maxReceiveCount}).";
        if (LastFailure?.Invoke(candidate.MessageId) is { } lastFailure)
        {
            reason += $" Last failure: {lastFailure}";
        }

        Run(_deadLetter, now, reason, candidate.Sequence).ExecuteNonQuery();
        Run(_removeMessage, candidate.Sequence).ExecuteNonQuery();
        _deadLetterCount++;
        _groups.Removed(candidate.GroupId, candidate.Sequence, NextInGroup);
        _deadLettered.Add((candidate.MessageId, reason));
    }

    /// <summary>Reads the groups and counts from the database; everything kept in memory starts here.</summary>
    private void LoadIndex()
    {
        _groups.Clear();
        using (var reader = Run(_loadGroups).ExecuteReader())
        {
            while (reader.Read())
            {
                _groups.Load(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2));
            }
        }

        using var counts = Run(_loadCounts).ExecuteReader();
        counts.Read();
        (_accepted, _completed, _deadLetterCount) = (counts.GetInt64(0), counts.GetInt64(1), counts.GetInt64(2));
    }

    /// <remarks>
    /// The work updates the in-memory index as it goes; when the transaction rolls back, the index
    /// is read again from the database, which is what the rollback left.
    /// </remarks>
    private T InTransaction<T>(Func<T> work)
    {
        _begin.ExecuteNonQuery();
        try
        {
            var result = work();
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
