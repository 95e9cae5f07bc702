using Microsoft.Data.Sqlite;
using SocketRelay.LocalGateway.Queue;

namespace SocketRelay.LocalGateway.Tests.Queue;

/// <summary>
/// The deduplication ids kept in memory by hash, checked against the table: the answers stay right when
/// every pair has the same hash, after a reopen, and the memory they take is given back as they expire.
/// </summary>
public sealed class DeduplicationIndexTests : IDisposable
{
    private const long Window = 5 * 60 * 1000;
    private static readonly Dictionary<string, string> NoAttributes = [];
    private readonly SqliteQueueOptions _options = new() { DataDirectory = Path.Combine(QueueHarness.CreateTemporaryDirectory(), "data") };

    public DeduplicationIndexTests() => Directory.CreateDirectory(_options.DataDirectory);

    [Fact]
    public void When_every_pair_has_the_same_hash_each_id_still_finds_its_own_message_and_only_its_own()
    {
        using var store = Open(collidingHash: true);
        var first = Send(store, "g", "request-1", now: 1_000);
        var second = Send(store, "g", "request-2", now: 2_000);
        var otherGroup = Send(store, "h", "request-1", now: 3_000);

        var retryFirst = Send(store, "g", "request-1", now: 4_000);
        var retrySecond = Send(store, "g", "request-2", now: 5_000);
        var retryOtherGroup = Send(store, "h", "request-1", now: 6_000);

        Assert.False(first.IsDuplicate || second.IsDuplicate || otherGroup.IsDuplicate);
        Assert.Equal(3, new[] { first.MessageId, second.MessageId, otherGroup.MessageId }.Distinct().Count());
        Assert.Equal((first.MessageId, first.SequenceNumber, true), (retryFirst.MessageId, retryFirst.SequenceNumber, retryFirst.IsDuplicate));
        Assert.Equal((second.MessageId, true), (retrySecond.MessageId, retrySecond.IsDuplicate));
        Assert.Equal((otherGroup.MessageId, true), (retryOtherGroup.MessageId, retryOtherGroup.IsDuplicate));
    }

    [Fact]
    public void Ids_are_found_again_after_the_store_is_reopened_from_the_table()
    {
        string firstId;
        using (var store = Open())
        {
            firstId = Send(store, "g", "request-1", now: 1_000).MessageId;
            Send(store, "g", "request-2", now: 2_000);
        }

        using var reopened = Open();
        var retry = Send(reopened, "g", "request-1", now: 3_000);

        Assert.Equal(2, reopened.RememberedDeduplicationIds);
        Assert.True(retry.IsDuplicate);
        Assert.Equal(firstId, retry.MessageId);
    }

    [Fact]
    public void A_sweep_forgets_the_expired_ids_from_the_oldest_and_stops_at_the_first_still_in_its_window()
    {
        using var store = Open();
        Send(store, "g", "request-1", now: 1_000);
        Send(store, "g", "request-2", now: 2_000);
        Send(store, "g", "request-3", now: 9_000);

        var swept = store.ForgetExpiredDeduplicationIds(now: 2_000 + Window);

        Assert.Equal(2, swept);
        Assert.Equal(1, store.RememberedDeduplicationIds);
        Assert.Equal(1L, Rows("SELECT COUNT(*) FROM deduplication;"));
        Assert.False(Send(store, "g", "request-1", now: 2_000 + Window).IsDuplicate);
        Assert.True(Send(store, "g", "request-3", now: 2_000 + Window).IsDuplicate);
    }

    [Fact]
    public void Sweeping_an_older_pair_keeps_a_newer_pair_with_the_same_hash()
    {
        using var store = Open(collidingHash: true);
        Send(store, "g", "request-1", now: 1_000);
        var newer = Send(store, "g", "request-2", now: 60_000);

        store.ForgetExpiredDeduplicationIds(now: 1_000 + Window);
        var retry = Send(store, "g", "request-2", now: 1_000 + Window);

        Assert.True(retry.IsDuplicate);
        Assert.Equal(newer.MessageId, retry.MessageId);
        Assert.Equal(1, store.RememberedDeduplicationIds);
    }

    [Fact]
    public void Remembering_an_id_appends_to_the_table_in_send_order_instead_of_ordering_it_by_the_id()
    {
        using (var store = Open())
        {
            Send(store, "g", "zzz", now: 1_000);
            Send(store, "g", "aaa", now: 2_000);
            Send(store, "a", "mmm", now: 3_000);
        }

        Assert.Equal(["zzz", "aaa", "mmm"], Column("SELECT deduplication_id FROM deduplication;"));
        Assert.Equal(0L, Rows("SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'deduplication';"));
    }

    [Fact]
    public void The_hash_tells_the_group_from_the_id()
    {
        Assert.NotEqual(DeduplicationIndex.Hash("ab", "c"), DeduplicationIndex.Hash("a", "bc"));
        Assert.NotEqual(DeduplicationIndex.Hash("g", "1"), DeduplicationIndex.Hash("h", "1"));
        Assert.Equal(DeduplicationIndex.Hash("g", "1"), DeduplicationIndex.Hash("g", "1"));
    }

    private SqliteQueueStore Open(bool collidingHash = false) =>
        new(SqliteQueueSchema.Open(_options), collidingHash ? (_, _) => 42UL : null);

    private static SendResult Send(SqliteQueueStore store, string group, string deduplicationId, long now) =>
        store.Send([new OutgoingMessage($"body of {deduplicationId}", group, deduplicationId, NoAttributes)], now)[0];

    private long Rows(string sql) => (long)Query(sql)[0]!;

    private List<object?> Column(string sql) => Query(sql);

    private List<object?> Query(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={_options.DatabasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new List<object?>();
        while (reader.Read())
        {
            values.Add(reader.GetValue(0));
        }

        return values;
    }

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_options.DataDirectory)!, recursive: true);
}
