using SocketRelay.LocalGateway.Queue;

namespace SocketRelay.LocalGateway.Tests.Queue;

/// <summary>
/// The child process of <see cref="CrashRecoveryTests"/>: takes a few leases it never gives back,
/// then sends messages, printing each message id once its send has returned.
/// </summary>
internal static class QueueWriter
{
    public const string Command = "queue-writer";
    public const int LeaseCount = 3;
    public const string LeasedLine = "leased ";
    public const string AcknowledgedLine = "acked ";

    public static async Task<int> RunAsync(string dataDirectory, int count)
    {
        using var queue = SqliteFifoQueue.Open(new SqliteQueueOptions { DataDirectory = dataDirectory }, TimeProvider.System);
        for (var i = 0; i < LeaseCount; i++)
        {
            await SendAsync(queue, $"leased {i}", $"leased-{i}", $"leased-{i}");
        }

        foreach (var message in await queue.ReceiveAsync(LeaseCount, SqliteFifoQueue.MaxVisibilityTimeout, TimeSpan.Zero, CancellationToken.None))
        {
            await Console.Out.WriteLineAsync(LeasedLine + message.MessageId);
        }

        for (var i = 0; i < count; i++)
        {
            var sent = await SendAsync(queue, $"message {i}", $"group-{i}", $"message-{i}");
            await Console.Out.WriteLineAsync(AcknowledgedLine + sent.MessageId);
        }

        return 0;
    }

    private static Task<SendResult> SendAsync(SqliteFifoQueue queue, string body, string group, string deduplicationId) =>
        queue.SendAsync(new OutgoingMessage(body, group, deduplicationId, new Dictionary<string, string>()), CancellationToken.None);
}
