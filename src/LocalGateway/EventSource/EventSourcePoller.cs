using Microsoft.Extensions.Logging;
using SocketRelay.LocalGateway.DevConsole;
using SocketRelay.LocalGateway.Lambda;
using SocketRelay.LocalGateway.Queue;

namespace SocketRelay.LocalGateway.EventSource;

/// <summary>
/// One poller of the local event source mapping: receive up to a batch, invoke the function with
/// the SQS event, delete what the function did not report in <c>batchItemFailures</c>. Failures,
/// invocation errors and time-outs are left for the visibility timeout to bring back, as Lambda does.
/// The response is judged as Lambda's SQS event source judges it (<see cref="PartialBatchResponse"/>): empty,
/// <c>null</c> or no failures is complete success; an invalid response fails the whole batch, and the gateway
/// log says why.
/// Each invocation and its outcome are told to the developer console's observer, if any.
/// </summary>
public sealed partial class EventSourcePoller(
    IFifoQueue queue, LocalRuntimeApi runtime, EventSourceOptions options, ILogger<EventSourcePoller> logger, IPipelineObserver? observer = null)
{
    private readonly IPipelineObserver _observer = observer ?? NoPipelineObserver.Instance;

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await PollOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A failing poll is logged and retried; the poller must outlive it.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogPollFailed(ex);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
    }

    /// <summary>Receives and processes at most one batch; returns how many messages it received.</summary>
    public async Task<int> PollOnceAsync(CancellationToken cancellationToken)
    {
        var messages = await queue.ReceiveAsync(options.BatchSize, options.VisibilityTimeout, options.ReceiveWaitTime, cancellationToken);
        if (messages.Count == 0)
        {
            return 0;
        }

        var payload = SqsEventFactory.Build(messages, options.QueueArn, options.Region);
        var startedAt = DateTimeOffset.UtcNow;
        var result = await runtime.InvokeAsync(payload, options.FunctionTimeout, cancellationToken: cancellationToken);
        var failed = FailedMessageIds(result, messages);
        _observer.BatchInvoked(messages, result, startedAt, failed);
        var done = messages.Where(m => !failed.Contains(m.MessageId)).Select(m => m.ReceiptHandle).ToList();
        if (done.Count > 0)
        {
            // One batched delete: one queue write (and, for SQLite, one disk flush) per batch.
            await queue.DeleteBatchAsync(done, CancellationToken.None);
        }

        return messages.Count;
    }

    private IReadOnlySet<string> FailedMessageIds(InvocationResult result, IReadOnlyList<ReceivedMessage> messages)
    {
        var all = messages.Select(m => m.MessageId).ToHashSet(StringComparer.Ordinal);
        if (result.Outcome != InvocationOutcome.Response)
        {
            if (result.ErrorType is { } errorType)
            {
                LogInvocationFailed(result.RequestId, result.Outcome, errorType, messages.Count);
            }
            else
            {
                LogInvocationEnded(result.RequestId, result.Outcome, messages.Count);
            }
            return all;
        }

        var verdict = PartialBatchResponse.Judge(result.Payload, all);
        if (!verdict.IsValid)
        {
            LogInvalidResponse(result.RequestId, verdict.Problem!, messages.Count);
            return all;
        }

        return verdict.FailedMessageIds;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Invocation {requestId} ended {outcome} ({errorType}): all {count} messages will be received again after the visibility timeout")]
    private partial void LogInvocationFailed(string requestId, InvocationOutcome outcome, string errorType, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Invocation {requestId} ended {outcome}: all {count} messages will be received again after the visibility timeout")]
    private partial void LogInvocationEnded(string requestId, InvocationOutcome outcome, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Invocation {requestId} returned an invalid batch response: {problem}. As Lambda does, the whole batch failed: all {count} messages will be received again after the visibility timeout")]
    private partial void LogInvalidResponse(string requestId, string problem, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Polling the queue failed; retrying in a second")]
    private partial void LogPollFailed(Exception exception);
}
