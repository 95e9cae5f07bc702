using Microsoft.Data.Sqlite;

namespace SocketRelay.LocalGateway.Queue;

/// <summary>
/// Opens the queue database and creates its tables. One row per waiting or in-flight message,
/// keyed by its sequence number; a message is in flight while <c>visible_at</c> (unix ms) is in
/// the future. Deleted messages leave the table; dead letters move to their own table.
/// </summary>
/// <remarks>
/// Which groups are open, and each group's queued sequence numbers, are kept in memory
/// (<see cref="MessageGroupIndex"/>): a receive reads the rows it chose by primary key, so the messages
/// table needs no secondary index.
/// </remarks>
internal static class SqliteQueueSchema
{
    private const int Version = 5;
    private const int SqliteCorrupt = 11;
    private const int SqliteNotADatabase = 26;

    private const string CreateTables = """
        CREATE TABLE IF NOT EXISTS messages (
            sequence          INTEGER PRIMARY KEY AUTOINCREMENT,
            message_id        TEXT    NOT NULL,
            group_id          TEXT    NOT NULL,
            deduplication_id  TEXT    NOT NULL,
            body              TEXT    NOT NULL,
            attributes        TEXT    NOT NULL,
            sent_at           INTEGER NOT NULL,
            first_received_at INTEGER,
            receive_count     INTEGER NOT NULL DEFAULT 0,
            visible_at        INTEGER NOT NULL DEFAULT 0,
            receipt_handle    TEXT,
            receive_batch     INTEGER NOT NULL DEFAULT 0
        );
        DROP INDEX IF EXISTS messages_by_visibility;
        DROP INDEX IF EXISTS messages_by_group;

        CREATE TABLE IF NOT EXISTS deduplication (
            sequence         INTEGER PRIMARY KEY,
            group_id         TEXT    NOT NULL,
            deduplication_id TEXT    NOT NULL,
            message_id       TEXT    NOT NULL,
            expires_at       INTEGER NOT NULL
        );
        DROP INDEX IF EXISTS deduplication_by_expiry;

        CREATE TABLE IF NOT EXISTS dead_letters (
            sequence         INTEGER PRIMARY KEY,
            message_id       TEXT    NOT NULL,
            group_id         TEXT    NOT NULL,
            deduplication_id TEXT    NOT NULL,
            body             TEXT    NOT NULL,
            attributes       TEXT    NOT NULL,
            sent_at          INTEGER NOT NULL,
            receive_count    INTEGER NOT NULL,
            dead_lettered_at INTEGER NOT NULL,
            reason           TEXT    NOT NULL
        );

        CREATE TABLE IF NOT EXISTS counters (
            name  TEXT    PRIMARY KEY,
            value INTEGER NOT NULL
        ) WITHOUT ROWID;
        INSERT OR IGNORE INTO counters (name, value) VALUES ('accepted', 0), ('completed', 0);
        """;

    // Version 3 swapped the visibility index for (group_id, sequence); version 4 drops that one too, as the
    // groups' messages are kept in memory (MessageGroupIndex) and rows are read by primary key. CreateTables
    // drops both, so it upgrades either. Version 5 keeps deduplication ids in send order (by the message's
    // sequence number) instead of by (group_id, deduplication_id), found through DeduplicationIndex.

    /// <summary>Versions 2 to 4 kept deduplication ids keyed by (group_id, deduplication_id), with an expiry index.</summary>
    private const string SetAsideGroupedDeduplicationIds = """
        ALTER TABLE deduplication RENAME TO deduplication_v4;
        DROP INDEX IF EXISTS deduplication_by_expiry;
        """;

    /// <summary>Run after <see cref="CreateTables"/> has created the table in send order: every id is kept.</summary>
    private const string KeepDeduplicationIdsInSendOrder = """
        INSERT OR REPLACE INTO deduplication (sequence, group_id, deduplication_id, message_id, expires_at)
            SELECT sequence, group_id, deduplication_id, message_id, expires_at FROM deduplication_v4 ORDER BY sequence;
        DROP TABLE deduplication_v4;
        """;

    /// <summary>
    /// Version 1 remembered deduplication ids queue-wide; version 2 per message group, as the deployed
    /// queue (<c>DeduplicationScope: messageGroup</c>). An id keeps its group when its message is still
    /// queued or dead-lettered; the ids of deleted messages are dropped, so for at most five minutes
    /// after the upgrade a retried send of an already processed message is accepted again.
    /// </summary>
    private const string SetAsideQueueWideDeduplicationIds = """
        ALTER TABLE deduplication RENAME TO deduplication_v1;
        DROP INDEX IF EXISTS deduplication_by_expiry;
        """;

    /// <summary>Run after <see cref="CreateTables"/> has created the per-group table.</summary>
    private const string GroupDeduplicationIds = """
        INSERT OR REPLACE INTO deduplication (sequence, group_id, deduplication_id, message_id, expires_at)
            SELECT old.sequence, owner.group_id, old.deduplication_id, old.message_id, old.expires_at
            FROM deduplication_v1 AS old
            JOIN (SELECT sequence, group_id FROM messages UNION ALL SELECT sequence, group_id FROM dead_letters) AS owner
              ON owner.sequence = old.sequence;
        DROP TABLE deduplication_v1;
        """;

    public static SqliteConnection Open(SqliteQueueOptions options)
    {
        var path = options.DatabasePath;
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = false,
        }.ToString());
        try
        {
            connection.Open();
            Configure(connection, options, path);
            Migrate(connection, path);
            return connection;
        }
        catch (SqliteException ex)
        {
            connection.Dispose();
            var problem = ex.SqliteErrorCode is SqliteCorrupt or SqliteNotADatabase
                ? "is corrupt or not a SQLite database"
                : "cannot be opened";
            throw new QueueStoreException(
                $"The queue database '{path}' {problem}: {ex.Message} " +
                "Move the file (and its -wal and -shm files) away to start with an empty queue.",
                ex);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static void Configure(SqliteConnection connection, SqliteQueueOptions options, string path)
    {
        var journalMode = Execute(connection, "PRAGMA journal_mode = WAL;");
        if (!string.Equals(journalMode as string, "wal", StringComparison.OrdinalIgnoreCase))
        {
            throw new QueueStoreException($"The queue database '{path}' cannot use write-ahead logging (journal mode '{journalMode}').");
        }

        // Sends and deletes are fsync'd before they return; a transaction of receives alone lowers
        // this for itself only (SqliteQueueStore.InTransaction, durable: false).
        Execute(connection, "PRAGMA synchronous = FULL;");
    }

    private static void Migrate(SqliteConnection connection, string path)
    {
        var version = Convert.ToInt32(Execute(connection, "PRAGMA user_version;"), System.Globalization.CultureInfo.InvariantCulture);
        if (version > Version)
        {
            throw new QueueStoreException(
                $"The queue database '{path}' has schema version {version}; this gateway reads version {Version} and older.");
        }

        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = version switch
        {
            1 => SetAsideQueueWideDeduplicationIds + CreateTables + GroupDeduplicationIds,
            >= 2 and < Version => SetAsideGroupedDeduplicationIds + CreateTables + KeepDeduplicationIdsInSendOrder,
            _ => CreateTables,
        };
        command.CommandText += $"PRAGMA user_version = {Version};";
        command.ExecuteNonQuery();
        transaction.Commit();
    }

    private static object? Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
