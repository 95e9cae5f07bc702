using System.Globalization;
using SocketRelay.Infrastructure.Sqs;
using SocketRelay.LocalGateway.EventSource;
using SocketRelay.LocalGateway.Queue;

namespace SocketRelay.Bench;

/// <summary>SQS events as the local event source mapping builds them, for invoking the function directly.</summary>
public static class SqsEvents
{
    private static long _sequence;

    /// <summary>A batch of <paramref name="size"/> messages, each in its own group, each from its own connection.</summary>
    public static byte[] Batch(int size)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var messages = new List<ReceivedMessage>(size);
        for (var i = 0; i < size; i++)
        {
            var n = Interlocked.Increment(ref _sequence).ToString(CultureInfo.InvariantCulture);
            var attributes = new Dictionary<string, string>
            {
                [SqsRecordMapper.ConnectionIdAttribute] = $"conn-{i:D2}",
                [SqsRecordMapper.RequestIdAttribute] = $"req-{n}",
            };
            messages.Add(new ReceivedMessage(
                $"msg-{n}", $"rh-{n}", $$"""{"i":{{n}}}""", $"conn-{i:D2}", $"req-{n}", attributes, 1, now, now, n, "BENCH"));
        }

        return SqsEventFactory.Build(messages, "arn:aws:sqs:us-east-1:123456789012:socketrelay-bench.fifo", "us-east-1");
    }
}
