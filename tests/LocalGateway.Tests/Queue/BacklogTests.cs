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

    public static TheoryData<string> ReadsOfMessages => [SqliteQueueStore.SelectGroupMessagesSql, SqliteQueueStore.NextInGroupSql];

    [Theory]
    [MemberData(nameof(ReadsOfMessages))]
    public void The_reads_of_a_receive_and_a_delete_search_the_group_index_and_never_scan_the_table(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={_harness.Options.DatabasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        foreach (var name in Regex.Matches(sql, @"\$\w+").Select(m => m.Value).Distinct())
        {
            command.Parameters.AddWithValue(name, name.StartsWith("$g", StringComparison.Ordinal) || name == "$group" ? "held" : 0L);
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
        Assert.NotEmpty(reads);
        Assert.All(reads, step => Assert.Contains("SEARCH messages USING COVERING INDEX messages_by_group (group_id=? AND sequence>?)".Replace("COVERING ", "", StringComparison.Ordinal), step.Replace("COVERING ", "", StringComparison.Ordinal), StringComparison.Ordinal));
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
