using System.Text.Json;
using SocketRelay.LocalGateway.Queue;

namespace SocketRelay.LocalGateway.Status;

/// <summary>
/// The operator's view: live connections and the queue's durable counters. After a drain,
/// <c>accepted == completed + dlqDepth</c>, across restarts.
/// </summary>
public sealed class GatewayStatus(IFifoQueue queue, Func<int> connectionCount)
{
    public async Task<byte[]> ToJsonAsync(CancellationToken cancellationToken)
    {
        var stats = await queue.GetStatsAsync(cancellationToken);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("connections", connectionCount());
            json.WriteNumber("accepted", stats.Accepted);
            json.WriteNumber("completed", stats.Completed);
            json.WriteNumber("queueDepth", stats.QueueDepth);
            json.WriteNumber("inFlight", stats.InFlight);
            json.WriteNumber("dlqDepth", stats.DeadLetterQueueDepth);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
