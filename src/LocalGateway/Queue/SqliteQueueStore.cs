using System.Globalization;
using Microsoft.Data.Sqlite;

namespace SocketRelay.LocalGateway.Queue;

/// <summary>
/// The queue's operations as single SQLite transactions over prepared statements. Not thread
/// safe: <see cref="SqliteFifoQueue"/> serializes every call, as SQLite has a single writer anyway.
/// </summary>
internal sealed class SqliteQueueStore : IDisposable
{
    private static readonly long DeduplicationWindowMs = (long)SqliteFifoQueue.DeduplicationWindow.TotalMilliseconds;

    private readonly SqliteConnection _connection;
    private readonly List<SqliteCommand> _commands = [];
    private readonly SqliteCommand _begin, _commit, _rollback;
    private readonly SqliteCommand _findDuplicate, _insertMessage, _remember, _forgetExpired, _countAccepted;
    private readonly SqliteCommand _selectDeliverable, _deliver, _deadLetter, _removeMessage;
    private readonly SqliteCommand _delete, _countCompleted, _stats, _listDeadLetters, _releaseLeases;
    private readonly SqliteCommand _redriveDeadLetters, _removeDeadLetters;
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

        // Groups with a message in flight from an earlier receive are locked; the rest deliver from
        // their oldest message on. Messages handed out by this receive (same batch) keep their
        // group open, so a receive that dead-letters a group's head can still deliver what follows.
        _selectDeliverable = Prepare(
            """
            SELECT sequence, message_id, group_id, deduplication_id, body, attributes, sent_at, first_received_at, receive_count
            FROM messages
            WHERE sequence > $after
              AND group_id NOT IN (SELECT group_id FROM messages WHERE visible_at > $now AND receive_batch <> $batch)
            ORDER BY sequence
            LIMIT $limit;
            """,
            "$after", "$now", "$batch", "$limit");
        _deliver = Prepare(
            "UPDATE messages SET receive_count = receive_count + 1, first_received_at = COALESCE(first_received_at, $now), visible_at = $visibleAt, receipt_handle = $handle, receive_batch = $batch WHERE sequence = $sequence;",
            "$now", "$visibleAt", "$handle", "$batch", "$sequence");
        _deadLetter = Prepare(
            "INSERT INTO dead_letters SELECT sequence, message_id, group_id, deduplication_id, body, attributes, sent_at, receive_count, $now, $reason FROM messages WHERE sequence = $sequence;",
            "$now", "$reason", "$sequence");
        _removeMessage = Prepare("DELETE FROM messages WHERE sequence = $sequence;", "$sequence");
        _delete = Prepare("DELETE FROM messages WHERE sequence = $sequence AND receipt_handle = $handle;", "$sequence", "$handle");
        _countCompleted = Prepare("UPDATE counters SET value = value + 1 WHERE name = 'completed';");
        _stats = Prepare(
            """
            SELECT (SELECT value FROM counters WHERE name = 'accepted'),
                   (SELECT value FROM counters WHERE name = 'completed'),
                   (SELECT COUNT(*) FROM messages WHERE visible_at <= $now),
                   (SELECT COUNT(*) FROM messages WHERE visible_at > $now),
                   (SELECT COUNT(*) FROM dead_letters);
            """,
            "$now");
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
            RETURNING message_id;
            """,
            "$id");
        _removeDeadLetters = Prepare("DELETE FROM dead_letters WHERE $id IS NULL OR message_id = $id;", "$id");
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
    /// the process. So a receive skips the fsync that sends and deletes pay.
    /// </summary>
    public IReadOnlyList<ReceivedMessage> Receive(int maxMessages, long now, long visibleAt, int maxReceiveCount, string senderId)
    {
        _relaxedSync.ExecuteNonQuery();
        try
        {
            return ReceiveInTransaction(maxMessages, now, visibleAt, maxReceiveCount, senderId);
        }
        finally
        {
            _fullSyncAgain.ExecuteNonQuery();
        }
    }

    private IReadOnlyList<ReceivedMessage> ReceiveInTransaction(int maxMessages, long now, long visibleAt, int maxReceiveCount, string senderId) => InTransaction(() =>
    {
        _deadLettered.Clear();
        var batch = ++_receiveBatch;
        var received = new List<ReceivedMessage>(maxMessages);
        var after = 0L;
        while (received.Count < maxMessages)
        {
            var candidates = ReadCandidates(after, now, batch, maxMessages - received.Count);
            var deadLettered = false;
            foreach (var candidate in candidates)
            {
                if (candidate.ReceiveCount >= maxReceiveCount)
                {
                    MoveToDeadLetters(candidate.Sequence, candidate.MessageId, now, maxReceiveCount);
                    deadLettered = true;
                    continue;
                }

                var handle = ReceiptHandle.Create(candidate.Sequence);
                Run(_deliver, now, visibleAt, handle, batch, candidate.Sequence).ExecuteNonQuery();
                received.Add(candidate.ToReceived(handle, now, senderId));
            }

            // Only a dead-lettered head can make more of its group deliverable; otherwise the
            // query already returned everything there is.
            if (!deadLettered || candidates.Count == 0)
            {
                break;
            }

            after = candidates[^1].Sequence;
        }

        return (IReadOnlyList<ReceivedMessage>)received;
    });

    public bool Delete(long sequence, string receiptHandle) => InTransaction(() =>
    {
        if (Run(_delete, sequence, receiptHandle).ExecuteNonQuery() == 0)
        {
            return false;
        }

        Run(_countCompleted).ExecuteNonQuery();
        return true;
    });

    /// <summary>Deletes each (sequence, handle) pair as <see cref="Delete"/> would, all in one transaction.</summary>
    public IReadOnlyList<bool> DeleteMany(IReadOnlyList<(long Sequence, string ReceiptHandle)> messages) => InTransaction(() =>
    {
        var deleted = new bool[messages.Count];
        for (var i = 0; i < messages.Count; i++)
        {
            if (Run(_delete, messages[i].Sequence, messages[i].ReceiptHandle).ExecuteNonQuery() == 1)
            {
                Run(_countCompleted).ExecuteNonQuery();
                deleted[i] = true;
            }
        }

        return (IReadOnlyList<bool>)deleted;
    });

    public QueueStats GetStats(long now)
    {
        using var reader = Run(_stats, now).ExecuteReader();
        reader.Read();
        return new QueueStats(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4));
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
            }
        }

        Run(_removeDeadLetters, (object?)messageId ?? DBNull.Value).ExecuteNonQuery();
        return (IReadOnlyList<string>)moved;
    });

    public bool DeleteDeadLetter(string messageId) => InTransaction(() => Run(_removeDeadLetters, messageId).ExecuteNonQuery() > 0);

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
        return new SendResult(messageId, FormatSequence(sequence), IsDuplicate: false);
    }

    private List<Candidate> ReadCandidates(long after, long now, long batch, int limit)
    {
        using var reader = Run(_selectDeliverable, after, now, batch, limit).ExecuteReader();
        var candidates = new List<Candidate>(limit);
        while (reader.Read())
        {
            candidates.Add(new Candidate(
                reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetString(5), reader.GetInt64(6), reader.IsDBNull(7) ? null : reader.GetInt64(7), reader.GetInt32(8)));
        }

        return candidates;
    }

    private void MoveToDeadLetters(long sequence, string messageId, long now, int maxReceiveCount)
    {
        var reason = $"Received {maxReceiveCount} times without being deleted (maxReceiveCount {maxReceiveCount}).";
        if (LastFailure?.Invoke(messageId) is { } lastFailure)
        {
            reason += $" Last failure: {lastFailure}";
        }

        Run(_deadLetter, now, reason, sequence).ExecuteNonQuery();
        Run(_removeMessage, sequence).ExecuteNonQuery();
        _deadLettered.Add((messageId, reason));
    }

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
