using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using SocketRelay.Application.Batches;
using SocketRelay.Application.Metrics;
using SocketRelay.Application.Ports;
using SocketRelay.Application.Replies;
using SocketRelay.Domain.Delivery;
using SocketRelay.Domain.Identifiers;
using SocketRelay.Domain.Messages;

namespace SocketRelay.Bench;

/// <summary>
/// <see cref="BatchProcessor"/> against the seed's loop (one message after another) on a batch of
/// 10 messages spread over 1, 3 or 10 message groups, with a notifier that takes 50 ms per send.
/// </summary>
public class BatchBenchmarks
{
    public const int BatchSize = 10;
    public static readonly TimeSpan SendLatency = TimeSpan.FromMilliseconds(50);

    private readonly EchoReplyHandler _replyHandler = new();
    private readonly SlowNotifier _notifier = new(SendLatency);
    private BatchProcessor _processor = null!;
    private List<BatchItem> _batch = [];

    [Params(1, 3, 10)]
    public int Groups { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var meterFactory = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();
        _processor = new BatchProcessor(_replyHandler, _notifier, new BatchProcessingOptions(), TimeProvider.System, NullLogger<BatchProcessor>.Instance, new FunctionMetrics(meterFactory));
        _batch = MakeBatch(Groups);
    }

    /// <summary>What the seed's handler does: for each record, post the reply and wait for it.</summary>
    [Benchmark(Baseline = true)]
    public async Task<int> SequentialLoop()
    {
        var delivered = 0;
        var sendBy = DateTimeOffset.UtcNow.AddMinutes(1);
        foreach (var item in _batch)
        {
            var reply = await _replyHandler.HandleAsync(((BatchItem.Valid)item).Message, CancellationToken.None);
            var result = await _notifier.SendAsync(reply!, sendBy, CancellationToken.None);
            delivered += result.IsDone ? 1 : 0;
        }

        return delivered;
    }

    [Benchmark]
    public async Task<int> Processor()
    {
        var result = await _processor.ProcessAsync(_batch, DateTimeOffset.UtcNow.AddMinutes(1));
        return result.Completed;
    }

    /// <summary>Ten messages dealt round-robin over <paramref name="groups"/> groups, as a FIFO batch would hold them.</summary>
    public static List<BatchItem> MakeBatch(int groups) =>
        [.. Enumerable.Range(0, BatchSize).Select(i => (BatchItem)new BatchItem.Valid(new QueuedMessage(
            MessageId.Create($"m-{i:D2}"),
            MessageGroupId.Create($"group-{i % groups}"),
            ConnectionId.Create($"conn-{i:D2}"),
            RequestId.Create($"req-{i:D2}"),
            $$"""{"i":{{i}}}""",
            ReceiveCount: 1)))];

    private sealed class SlowNotifier(TimeSpan latency) : IConnectionNotifier
    {
        public async ValueTask<DeliveryResult> SendAsync(Reply reply, DateTimeOffset sendBy, CancellationToken cancellationToken)
        {
            await Task.Delay(latency, cancellationToken);
            return DeliveryResult.Delivered;
        }
    }
}
