using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using NSubstitute;
using SocketRelay.Application.Batches;
using SocketRelay.Application.Metrics;
using SocketRelay.Application.Ports;
using SocketRelay.Application.Replies;
using SocketRelay.Domain.Delivery;
using SocketRelay.Domain.Identifiers;
using SocketRelay.Domain.Messages;

namespace SocketRelay.Application.UnitTests.Batches;

/// <summary>
/// Builds batches and a <see cref="BatchProcessor"/> around an NSubstitute notifier whose outcome
/// per message is scripted by message id (the tests use the message id as the request id too).
/// </summary>
internal sealed class BatchFixture
{
    private readonly Dictionary<string, Func<CancellationToken, ValueTask<DeliveryResult>>> _script = [];
    private readonly List<string> _sent = [];
    private int _inFlight;
    private int _maxInFlight;

    public BatchFixture()
    {
        Notifier = Substitute.For<IConnectionNotifier>();
        Notifier.SendAsync(Arg.Any<Reply>(), Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>())
            .Returns(call => SendAsync(call.Arg<Reply>(), call.Arg<CancellationToken>()));
    }

    public IConnectionNotifier Notifier { get; }

    public IReplyHandler ReplyHandler { get; set; } = new EchoReplyHandler();

    public BatchProcessingOptions Options { get; } = new();

    public TimeProvider Time { get; set; } = TimeProvider.System;

    public FakeLogger<BatchProcessor> Logger { get; } = new();

    /// <summary>This fixture's own meter factory, as a composition has one: listen to it by scope.</summary>
    public IMeterFactory MeterFactory { get; } = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();

    /// <summary>Request ids in the order their sends started.</summary>
    public IReadOnlyList<string> Sent
    {
        get
        {
            lock (_sent)
            {
                return [.. _sent];
            }
        }
    }

    public int MaxConcurrentSends => Volatile.Read(ref _maxInFlight);

    /// <summary>How long every send takes unless scripted otherwise.</summary>
    public TimeSpan SendLatency { get; set; } = TimeSpan.Zero;

    public static BatchItem Message(string id, string group, string connection = "conn", string? body = null) =>
        new BatchItem.Valid(new QueuedMessage(
            MessageId.Create(id),
            MessageGroupId.Create(group),
            ConnectionId.Create(connection),
            RequestId.Create(id),
            body ?? $"{{\"id\":\"{id}\"}}",
            ReceiveCount: 1));

    public static BatchItem Invalid(string id, string group, string reason = "no connectionId attribute") =>
        new BatchItem.Invalid(MessageId.Create(id), MessageGroupId.Create(group), reason);

    public BatchFixture Script(string id, DeliveryResult result) => Script(id, _ => ValueTask.FromResult(result));

    public BatchFixture Script(string id, Func<CancellationToken, ValueTask<DeliveryResult>> send)
    {
        _script[id] = send;
        return this;
    }

    public BatchProcessor Processor() => new(ReplyHandler, Notifier, Options, Time, Logger, new FunctionMetrics(MeterFactory));

    public Task<BatchResult> RunAsync(IReadOnlyList<BatchItem> batch, CancellationToken cancellationToken = default) =>
        Processor().ProcessAsync(batch, Time.GetUtcNow().AddMinutes(1), cancellationToken);

    private async ValueTask<DeliveryResult> SendAsync(Reply reply, CancellationToken cancellationToken)
    {
        lock (_sent)
        {
            _sent.Add(reply.RequestId.Value);
        }

        var now = Interlocked.Increment(ref _inFlight);
        InterlockedMax(ref _maxInFlight, now);
        try
        {
            if (SendLatency > TimeSpan.Zero)
            {
                await Task.Delay(SendLatency, CancellationToken.None);
            }

            return _script.TryGetValue(reply.RequestId.Value, out var send)
                ? await send(cancellationToken)
                : DeliveryResult.Delivered;
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while (value > (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}

internal static class BatchResultExtensions
{
    public static string[] FailedIds(this BatchResult result) => [.. result.FailedMessageIds.Select(id => id.Value)];
}

internal static class LogAssertions
{
    public static IEnumerable<FakeLogRecord> AtOrAbove(this FakeLogger logger, LogLevel level) =>
        logger.Collector.GetSnapshot().Where(r => r.Level >= level);
}
