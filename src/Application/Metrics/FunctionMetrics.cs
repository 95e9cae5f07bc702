using System.Diagnostics.Metrics;
using SocketRelay.Application.Batches;

namespace SocketRelay.Application.Metrics;

/// <summary>
/// The function's own metrics, on the <see cref="Meter"/> named <see cref="MeterName"/>. Instrument
/// names are the CloudWatch metric names the function publishes, so a fact has one name wherever it
/// is read. The meter comes from the composition's <see cref="IMeterFactory"/>: several compositions
/// in one process (the local gateway's execution environments) each get their own meter, and an
/// exporter listening to one of them (<see cref="Meter.Scope"/> is that factory) sees only its own
/// measurements.
/// </summary>
/// <remarks>
/// Units are .NET's UCUM-style units (<c>ms</c>; an annotation such as <c>{reply}</c> for a count);
/// the exporter maps them to CloudWatch units (<c>Milliseconds</c>, <c>Count</c>). No instrument has
/// tags: the dimensions come from the exporter.
/// </remarks>
public sealed class FunctionMetrics
{
    public const string MeterName = "SocketRelay.Function";

    /// <summary>Replies <c>@connections</c> accepted (200), per batch.</summary>
    public const string RepliesDelivered = nameof(RepliesDelivered);

    /// <summary>Messages whose client had left (410 Gone); counted done, never redelivered.</summary>
    public const string ConnectionsGone = nameof(ConnectionsGone);

    /// <summary>Message ids reported in the response's <c>batchItemFailures</c>: parked, failed and held back.</summary>
    public const string BatchItemFailures = nameof(BatchItemFailures);

    /// <summary>
    /// Messages that can never succeed (a malformed record, 403, 413, another 4xx): reported failed
    /// alone so redrive moves them to the dead-letter queue (ADR-008). A parked message is counted
    /// again at each redelivery, up to <c>maxReceiveCount</c> times.
    /// </summary>
    public const string MessagesParked = nameof(MessagesParked);

    /// <summary>Retries of a <c>@connections</c> post after 429, 5xx, a time-out or a connection error.</summary>
    public const string NotificationRetries = nameof(NotificationRetries);

    /// <summary>Time from the batch's start to its result, milliseconds.</summary>
    public const string BatchDuration = nameof(BatchDuration);

    private readonly Counter<long> _repliesDelivered;
    private readonly Counter<long> _connectionsGone;
    private readonly Counter<long> _batchItemFailures;
    private readonly Counter<long> _messagesParked;
    private readonly Counter<long> _notificationRetries;
    private readonly Histogram<double> _batchDuration;

    public FunctionMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _repliesDelivered = meter.CreateCounter<long>(RepliesDelivered, "{reply}", "Replies @connections accepted");
        _connectionsGone = meter.CreateCounter<long>(ConnectionsGone, "{message}", "Messages whose client had left (410 Gone)");
        _batchItemFailures = meter.CreateCounter<long>(BatchItemFailures, "{message}", "Messages reported in batchItemFailures");
        _messagesParked = meter.CreateCounter<long>(MessagesParked, "{message}", "Messages that can never succeed, reported failed alone for the dead-letter queue");
        _notificationRetries = meter.CreateCounter<long>(NotificationRetries, "{retry}", "Retries of @connections posts");
        _batchDuration = meter.CreateHistogram<double>(BatchDuration, "ms", "Time to process one batch");
    }

    /// <summary>Records the outcome of one batch, zeros included.</summary>
    public void RecordBatch(BatchResult result, TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(result);
        _repliesDelivered.Add(result.Delivered);
        _connectionsGone.Add(result.Gone);
        _batchItemFailures.Add(result.FailedMessageIds.Count);
        _messagesParked.Add(result.Parked);
        _batchDuration.Record(duration.TotalMilliseconds);
    }

    /// <summary>Records one retry of a <c>@connections</c> post.</summary>
    public void RecordNotificationRetry() => _notificationRetries.Add(1);
}
