using Microsoft.Extensions.Logging;
using SocketRelay.Application.Metrics;
using SocketRelay.Application.Ports;
using SocketRelay.Domain.Delivery;
using SocketRelay.Domain.Identifiers;
using SocketRelay.Domain.Messages;

namespace SocketRelay.Application.Batches;

/// <summary>
/// Processes one batch from an SQS FIFO queue and decides what to report as failed so that the
/// queue redelivers exactly what still needs doing, in order:
/// <list type="bullet">
/// <item>the batch is split into message groups, arrival order kept inside each group; groups run
/// concurrently (at most <see cref="BatchProcessingOptions.MaxConcurrentGroups"/>), the messages
/// of a group one at a time;</item>
/// <item>a message that fails for a reason that may pass (throttling, 5xx, time-out, an exception
/// other than <see cref="UnprocessableMessageException"/>)
/// fails every later message of its group without running it; other groups go on; nothing that
/// succeeded is reported;</item>
/// <item>a gone client counts as done and never blocks its group;</item>
/// <item>a message that can never succeed (a malformed record, an <see cref="UnprocessableMessageException"/>
/// from the <see cref="IReplyHandler"/>, or 403/413/other 4xx) is reported
/// failed alone, so redrive parks it in the DLQ, and the rest of its group goes on (ADR-008);</item>
/// <item>no message starts after <c>deadline - DeadlineSafetyMargin</c>, and the processor returns
/// by then even if a port does not, reporting whatever is not done.</item>
/// </list>
/// Every batch's outcome (the counts of the returned <see cref="BatchResult"/> and the time it took)
/// is recorded on <see cref="FunctionMetrics"/>.
/// </summary>
public sealed partial class BatchProcessor(
    IReplyHandler replyHandler,
    IConnectionNotifier notifier,
    BatchProcessingOptions options,
    TimeProvider timeProvider,
    ILogger<BatchProcessor> logger,
    FunctionMetrics metrics)
{
    public async Task<BatchResult> ProcessAsync(IReadOnlyList<BatchItem> batch, DateTimeOffset deadline, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var started = timeProvider.GetTimestamp();
        var result = await RunAsync(batch, deadline, cancellationToken);
        metrics.RecordBatch(result, timeProvider.GetElapsedTime(started));
        return result;
    }

    private async Task<BatchResult> RunAsync(IReadOnlyList<BatchItem> batch, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return BatchResult.Empty;
        }

        var run = new BatchRun(batch);
        var cutoff = deadline - options.DeadlineSafetyMargin;
        var timeLeft = cutoff - timeProvider.GetUtcNow();
        if (timeLeft <= TimeSpan.Zero)
        {
            LogDeadlineAlreadyPassed(batch.Count, deadline);
            return run.Result();
        }

        var cutoffSource = new CancellationTokenSource(timeLeft, timeProvider);
        var stopSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, cutoffSource.Token);
        var groups = run.SplitIntoGroups();
        var workerCount = Math.Min(options.MaxConcurrentGroups, groups.Count);
        var nextGroup = -1;
        var workers = new Task[workerCount];
        for (var w = 0; w < workerCount; w++)
        {
            workers[w] = Task.Run(
                async () =>
                {
                    int g;
                    while ((g = Interlocked.Increment(ref nextGroup)) < groups.Count)
                    {
                        await ProcessGroupAsync(run, groups[g], cutoff, stopSource.Token);
                    }
                },
                CancellationToken.None);
        }

        var allGroups = Task.WhenAll(workers);
        var stopped = Task.Delay(Timeout.InfiniteTimeSpan, stopSource.Token);
        await Task.WhenAny(allGroups, stopped);
        var result = run.Result();

        // A port that ignores cancellation may still be running: the sources stay alive until it ends.
        _ = allGroups.ContinueWith(
            _ =>
            {
                stopSource.Dispose();
                cutoffSource.Dispose();
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);

        LogBatchProcessed(batch.Count, result.Completed, result.FailedMessageIds.Count, result.Delivered, result.Gone);
        return result;
    }

    private async Task ProcessGroupAsync(BatchRun run, List<int> group, DateTimeOffset cutoff, CancellationToken stop)
    {
        for (var position = 0; position < group.Count; position++)
        {
            var index = group[position];
            if (stop.IsCancellationRequested || timeProvider.GetUtcNow() >= cutoff)
            {
                LogStoppedBeforeStart(run.Items[index].GroupId, group.Count - position);
                return;
            }

            run.Set(index, ItemState.InFlight);
            var state = await ProcessItemAsync(run.Items[index], cutoff, stop);
            run.Set(index, state);
            if (state == ItemState.Parked)
            {
                LogParked(run.Items[index].MessageId, run.Items[index].GroupId);
            }
            else if (state == ItemState.Failed)
            {
                var heldBack = group.Count - position - 1;
                if (heldBack > 0)
                {
                    LogGroupHeldBack(run.Items[index].GroupId, run.Items[index].MessageId, heldBack);
                }

                return;
            }
        }
    }

    private async Task<ItemState> ProcessItemAsync(BatchItem item, DateTimeOffset cutoff, CancellationToken stop)
    {
        if (item is BatchItem.Invalid invalid)
        {
            LogInvalidRecord(invalid.MessageId, invalid.GroupId, invalid.Reason);
            return ItemState.Parked;
        }

        var message = ((BatchItem.Valid)item).Message;
        using var scope = logger.BeginScope(new MessageLogScope(message));
        LogMessageBody(message.Body);
        try
        {
            var reply = await replyHandler.HandleAsync(message, stop);
            if (reply is null)
            {
                LogNoReply();
                return ItemState.Unanswered;
            }

            var result = await notifier.SendAsync(reply, cutoff, stop);
            switch (result.Outcome)
            {
                case DeliveryOutcome.Delivered:
                    LogDelivered(reply.ConnectionId);
                    return ItemState.Delivered;
                case DeliveryOutcome.Gone:
                    LogGone(reply.ConnectionId);
                    return ItemState.Gone;
                case DeliveryOutcome.FailedPermanent:
                    LogDeliveryFailed(result.Outcome, result.Detail);
                    return ItemState.Parked;
                default:
                    LogDeliveryFailed(result.Outcome, result.Detail);
                    return ItemState.Failed;
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            LogStoppedInFlight();
            return ItemState.Failed;
        }
        catch (UnprocessableMessageException ex)
        {
            LogUnprocessable(ex.Message);
            return ItemState.Parked;
        }
#pragma warning disable CA1031 // A fault in user code or an adapter fails this message, never the batch.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogProcessingThrew(ex);
            return ItemState.Failed;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Invocation deadline {deadline:o} already too close: every message of the batch (size {count}) reported failed, none started")]
    private partial void LogDeadlineAlreadyPassed(int count, DateTimeOffset deadline);

    [LoggerMessage(Level = LogLevel.Information, Message = "Batch of {count} processed: {completed} done ({delivered} delivered, {gone} gone), {failed} reported failed")]
    private partial void LogBatchProcessed(int count, int completed, int failed, int delivered, int gone);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopped near the deadline or on cancellation: {count} messages of group {message_group_id} not started and reported failed")]
    private partial void LogStoppedBeforeStart(MessageGroupId message_group_id, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {message_id} can never succeed: reported failed alone, so that the queue moves it to the dead-letter queue after maxReceiveCount receives; group {message_group_id} goes on after that")]
    private partial void LogParked(MessageId message_id, MessageGroupId message_group_id);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {message_id} failed: {count} later messages of group {message_group_id} held back to keep FIFO order")]
    private partial void LogGroupHeldBack(MessageGroupId message_group_id, MessageId message_id, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Record {message_id} of group {message_group_id} can never succeed ({reason}); reported failed so redrive moves it to the dead-letter queue")]
    private partial void LogInvalidRecord(MessageId message_id, MessageGroupId message_group_id, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reply handler cannot process the message ({reason}); reported failed so redrive moves it to the dead-letter queue")]
    private partial void LogUnprocessable(string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Message body: {body}")]
    private partial void LogMessageBody(string body);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Reply handler returned no reply; message done")]
    private partial void LogNoReply();

    [LoggerMessage(Level = LogLevel.Debug, Message = "Reply delivered to {connection_id}")]
    private partial void LogDelivered(ConnectionId connection_id);

    [LoggerMessage(Level = LogLevel.Information, Message = "Connection {connection_id} is gone; message counted done")]
    private partial void LogGone(ConnectionId connection_id);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reply not delivered ({outcome}): {detail}")]
    private partial void LogDeliveryFailed(DeliveryOutcome outcome, string? detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message stopped in flight by the deadline or cancellation; reported failed")]
    private partial void LogStoppedInFlight();

    [LoggerMessage(Level = LogLevel.Error, Message = "Processing the message threw; reported failed")]
    private partial void LogProcessingThrew(Exception exception);
}
