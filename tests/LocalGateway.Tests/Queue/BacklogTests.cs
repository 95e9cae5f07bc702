using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using SocketRelay.LocalGateway.Queue;

namespace SocketRelay.LocalGateway.Tests.Queue;

/// <summary>
/// A group held back by a message in flight, with a long backlog behind it, must not slow or block
/// the other groups: receives find open groups without reading the held group's messages.
/// </summary>
public sealed class BacklogTests : IDisposable
{
    private readonly QueueHarness _harness = new();

    [Fact]
    public void A_receive_reads_its_messages_by_primary_key_and_never_scans_the_table()
    {
        using var connection = new SqliteConnection($"Data Source={_harness.Options.DatabasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + SqliteQueueStore.SelectMessagesSql;
        foreach (var name in Regex.Matches(SqliteQueueStore.SelectMessagesSql, @"\$\w+").Select(m => m.Value).Distinct())
        {
            command.Parameters.AddWithValue(name, 1L);
        }

        var plan = new List<string>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                plan.Add(reader.GetString(3));
            }
        }

        var reads = plan.Where(step => step.Contains(" messages", StringComparison.Ordinal)).ToList();
        var read = Assert.Single(reads);
        Assert.StartsWith("SEARCH messages USING INTEGER PRIMARY KEY (rowid=?)", read, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Behind_a_locked_group_with_a_backlog_the_other_groups_deliver_in_order_and_the_counts_stay_exact()
    {
        const int backlog = 2_000;
        await Task.WhenAll(Enumerable.Range(0, backlog).Select(i => _harness.SendAsync($"held {i}", group: "held")));
        var head = Assert.Single(await _harness.ReceiveAsync(maxMessages: 1));
        await _harness.SendAsync("a1", group: "a");
        await _harness.SendAsync("b1", group: "b");
        await _harness.SendAsync("a2", group: "a");

        var received = await _harness.ReceiveAsync();

        Assert.Equal(["a1", "b1", "a2"], received.Select(m => m.Body));
        var stats = await _harness.StatsAsync();
        Assert.Equal((backlog + 3L, backlog - 1L, 4L), (stats.Accepted, stats.QueueDepth, stats.InFlight));

        Assert.True(await _harness.DeleteAsync(head));
        var next = await _harness.ReceiveAsync();
        Assert.Equal("held 1", next[0].Body);
        Assert.All(next, m => Assert.Equal("held", m.MessageGroupId));
        Assert.Equal(10, next.Count);
    }

    [Fact]
    public async Task A_queue_reopened_with_a_backlog_knows_its_groups_heads_and_counts()
    {
        foreach (var (body, group) in new[] { ("x1", "x"), ("y1", "y"), ("x2", "x"), ("y2", "y") })
        {
            await _harness.SendAsync(body, group);
        }

        var first = await _harness.ReceiveAsync(maxMessages: 1);
        Assert.True(await _harness.DeleteAsync(first[0]));
        _harness.Reopen();

        var stats = await _harness.StatsAsync();
        Assert.Equal((4L, 1L, 3L, 0L), (stats.Accepted, stats.Completed, stats.QueueDepth, stats.InFlight));
        Assert.Equal(["y1", "x2", "y2"], (await _harness.ReceiveAsync()).Select(m => m.Body));
    }

    public void Dispose() => _harness.Dispose();
}
