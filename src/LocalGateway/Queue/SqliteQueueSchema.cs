using Microsoft.Data.Sqlite;

namespace SocketRelay.LocalGateway.Queue;

/// <summary>
/// Opens the queue database and creates its tables. One row per waiting or in-flight message,
/// keyed by its sequence number; a message is in flight while <c>visible_at</c> (unix ms) is in
/// the future. Deleted messages leave the table; dead letters move to their own table.
/// </summary>
/// <remarks>
/// Receives walk the primary key (sequence order) and skip groups found in flight through the
/// visibility index, so an index on (group_id, sequence) would only slow every send down.
/// </remarks>
internal static class SqliteQueueSchema
{
    private const int Version = 1;
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
        CREATE INDEX IF NOT EXISTS messages_by_visibility ON messages (visible_at);

        CREATE TABLE IF NOT EXISTS deduplication (
            deduplication_id TEXT    PRIMARY KEY,
            message_id       TEXT    NOT NULL,
            sequence         INTEGER NOT NULL,
            expires_at       INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS deduplication_by_expiry ON deduplication (expires_at);

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

        // Sends and deletes are fsync'd before they return; receives lower this for their own
        // transaction only (SqliteQueueStore.Receive).
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
        command.CommandText = CreateTables + $"PRAGMA user_version = {Version};";
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
