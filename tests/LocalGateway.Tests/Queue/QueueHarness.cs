using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using SocketRelay.LocalGateway.Queue;

namespace SocketRelay.LocalGateway.Tests.Queue;

/// <summary>A queue on a real SQLite file in a fresh temporary directory, with a clock the test moves.</summary>
internal sealed class QueueHarness : IDisposable
{
    public static readonly TimeSpan Visibility = TimeSpan.FromSeconds(30);

    public QueueHarness(int maxReceiveCount = 5)
    {
        Options = new SqliteQueueOptions
        {
            DataDirectory = CreateTemporaryDirectory(),
            MaxReceiveCount = maxReceiveCount,
        };
        Queue = SqliteFifoQueue.Open(Options, Time);
    }

    public SqliteQueueOptions Options { get; }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public SqliteFifoQueue Queue { get; private set; }

    public static string CreateTemporaryDirectory()
    {
        var path = Path.Combine(Path.GetTempPath(), "socketrelay-queue-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }

    public void Reopen()
    {
        Queue.Dispose();
        Queue = SqliteFifoQueue.Open(Options, Time);
    }

    public Task<SendResult> SendAsync(string body, string group = "group", string? deduplicationId = null) =>
        Queue.SendAsync(
            new OutgoingMessage(body, group, deduplicationId ?? Guid.NewGuid().ToString(), new Dictionary<string, string>()),
            CancellationToken.None);

    public Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(int maxMessages = 10, TimeSpan? visibility = null) =>
        Queue.ReceiveAsync(maxMessages, visibility ?? Visibility, TimeSpan.Zero, CancellationToken.None);

    public Task<bool> DeleteAsync(ReceivedMessage message) => Queue.DeleteAsync(message.ReceiptHandle, CancellationToken.None);

    public Task<QueueStats> StatsAsync() => Queue.GetStatsAsync(CancellationToken.None);

    /// <summary>
    /// The dead-letter table, oldest first, read as a user inspects it: a second, read-only
    /// connection to <c>queue.db</c> while the queue is open.
    /// </summary>
    public IReadOnlyList<DeadLetterRow> DeadLetters()
    {
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Options.DatabasePath,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString();
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT body, group_id, receive_count, reason FROM dead_letters ORDER BY sequence;";
        using var reader = command.ExecuteReader();
        var rows = new List<DeadLetterRow>();
        while (reader.Read())
        {
            rows.Add(new DeadLetterRow(reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.GetString(3)));
        }

        return rows;
    }

    public void Dispose()
    {
        Queue.Dispose();
        Directory.Delete(Options.DataDirectory, recursive: true);
    }
}

internal sealed record DeadLetterRow(string Body, string GroupId, int ReceiveCount, string Reason);
