using Microsoft.Data.Sqlite;
using SocketRelay.LocalGateway.Queue;

namespace SocketRelay.LocalGateway.Tests.Queue;

/// <summary>A queue.db written by an earlier gateway (schema version 1, deduplication queue-wide, a visibility index; version 4, deduplication ids keyed by group and id) opens and is upgraded.</summary>
public sealed class SchemaUpgradeTests : IDisposable
{
    /// <summary>The tables every version from 1 to 4 has as they were (the deduplication table is what changed).</summary>
    private const string MessagesDeadLettersAndCounters = """
        CREATE TABLE messages (
            sequence INTEGER PRIMARY KEY AUTOINCREMENT, message_id TEXT NOT NULL, group_id TEXT NOT NULL,
            deduplication_id TEXT NOT NULL, body TEXT NOT NULL, attributes TEXT NOT NULL, sent_at INTEGER NOT NULL,
            first_received_at INTEGER, receive_count INTEGER NOT NULL DEFAULT 0, visible_at INTEGER NOT NULL DEFAULT 0,
            receipt_handle TEXT, receive_batch INTEGER NOT NULL DEFAULT 0);
        CREATE TABLE dead_letters (
            sequence INTEGER PRIMARY KEY, message_id TEXT NOT NULL, group_id TEXT NOT NULL, deduplication_id TEXT NOT NULL,
            body TEXT NOT NULL, attributes TEXT NOT NULL, sent_at INTEGER NOT NULL, receive_count INTEGER NOT NULL,
            dead_lettered_at INTEGER NOT NULL, reason TEXT NOT NULL);
        CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
        INSERT INTO counters VALUES ('accepted', 2), ('completed', 1);
        """;

    private const string VersionOne = $$"""
        {{MessagesDeadLettersAndCounters}}
        CREATE INDEX messages_by_visibility ON messages (visible_at);
        CREATE TABLE deduplication (
            deduplication_id TEXT PRIMARY KEY, message_id TEXT NOT NULL, sequence INTEGER NOT NULL, expires_at INTEGER NOT NULL) WITHOUT ROWID;
        CREATE INDEX deduplication_by_expiry ON deduplication (expires_at);
        INSERT INTO messages (sequence, message_id, group_id, deduplication_id, body, attributes, sent_at)
            VALUES (2, 'message-2', 'g', 'request-2', 'waiting', '{}', 1767225600000);
        INSERT INTO deduplication VALUES ('request-1', 'message-1', 1, 1767225900000);
        INSERT INTO deduplication VALUES ('request-2', 'message-2', 2, 1767225900000);
        PRAGMA user_version = 1;
        """;

    private const string VersionFour = $$"""
        {{MessagesDeadLettersAndCounters}}
        CREATE TABLE deduplication (
            group_id TEXT NOT NULL, deduplication_id TEXT NOT NULL, message_id TEXT NOT NULL, sequence INTEGER NOT NULL,
            expires_at INTEGER NOT NULL, PRIMARY KEY (group_id, deduplication_id)) WITHOUT ROWID;
        CREATE INDEX deduplication_by_expiry ON deduplication (expires_at);
        INSERT INTO messages (sequence, message_id, group_id, deduplication_id, body, attributes, sent_at)
            VALUES (7, 'message-7', 'g', 'request-b', 'waiting', '{}', 1767225600000);
        INSERT INTO deduplication VALUES ('g', 'request-b', 'message-7', 7, 1767225900000);
        INSERT INTO deduplication VALUES ('g', 'request-a', 'message-3', 3, 1767225900000);
        PRAGMA user_version = 4;
        """;

    private readonly QueueHarness _harness = new();

    [Fact]
    public async Task A_version_one_queue_keeps_its_messages_and_remembers_deduplication_ids_in_their_groups()
    {
        Replace(VersionOne);

        _harness.Reopen();
        var retry = await _harness.SendAsync("retry", group: "g", deduplicationId: "request-2");
        var otherGroup = await _harness.SendAsync("other group", group: "h", deduplicationId: "request-2");

        Assert.True(retry.IsDuplicate);
        Assert.Equal("message-2", retry.MessageId);
        Assert.False(otherGroup.IsDuplicate);
        Assert.Equal(["waiting", "other group"], (await _harness.ReceiveAsync()).Select(m => m.Body));
        Assert.Equal(3, (await _harness.StatsAsync()).Accepted);
        Assert.Empty(Indexes(_harness.Options.DatabasePath));
    }

    [Fact]
    public async Task A_version_four_queue_keeps_every_deduplication_id_with_the_table_in_send_order()
    {
        Replace(VersionFour);

        _harness.Reopen();
        var retryDeleted = await _harness.SendAsync("retry of a processed message", group: "g", deduplicationId: "request-a");
        var retryWaiting = await _harness.SendAsync("retry of a waiting message", group: "g", deduplicationId: "request-b");
        var otherGroup = await _harness.SendAsync("other group", group: "h", deduplicationId: "request-a");

        Assert.Equal(("message-3", true), (retryDeleted.MessageId, retryDeleted.IsDuplicate));
        Assert.Equal(("message-7", true), (retryWaiting.MessageId, retryWaiting.IsDuplicate));
        Assert.False(otherGroup.IsDuplicate);
        Assert.Equal(["waiting", "other group"], (await _harness.ReceiveAsync()).Select(m => m.Body));
        Assert.Empty(Indexes(_harness.Options.DatabasePath));
    }

    private void Replace(string schema)
    {
        _harness.Queue.Dispose();
        File.Delete(_harness.Options.DatabasePath);
        using var connection = new SqliteConnection($"Data Source={_harness.Options.DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = schema;
        command.ExecuteNonQuery();
    }

    private static List<string> Indexes(string databasePath)
    {
        using var connection = new SqliteConnection($"Data Source={databasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_autoindex%' ORDER BY name;";
        using var reader = command.ExecuteReader();
        var names = new List<string>();
        while (reader.Read())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    public void Dispose() => _harness.Dispose();
}
