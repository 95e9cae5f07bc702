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
/// A running poller does not wait for a batch's delete before its next receive: the delete is queued ahead
/// of that receive, so the queue's writer commits both together (ADR-023), and each poller has at most one
/// delete in flight. A failed delete is logged; its messages come back after the visibility timeout.
/// </summary>
public sealed partial class EventSourcePoller(
    IFifoQueue queue, LocalRuntimeApi runtime, EventSourceOptions options, ILogger<EventSourcePoller> logger, IPipelineObserver? observer = null)
{
    private readonly IPipelineObserver _observer = observer ?? NoPipelineObserver.Instance;

    /// <summary>
    /// Polls until <paramref name="stoppingToken"/> is cancelled; a batch already invoked then still gets its answer
    /// and its delete, unless <paramref name="abandonToken"/> is cancelled too. Returns once the last batch's delete
    /// has committed.
    /// </summary>
    public async Task RunAsync(CancellationToken stoppingToken, CancellationToken abandonToken = default)
    {
        var deleting = Task.CompletedTask;
        var failures = 0;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    (_, deleting) = await PollAsync(deleting, stoppingToken, abandonToken);
                    failures = 0;
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested || abandonToken.IsCancellationRequested)
                {
                    return;
                }
#pragma warning disable CA1031 // A failing poll is logged and retried; the poller must outlive it.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    var retryIn = PollRetryDelay(++failures);
                    if (IsQueueUnreachableOrRefusing(ex))
                    {
                        LogQueueUnavailable(OneLine(ex), retryIn.TotalSeconds);
                    }
                    else
                    {
                        LogPollFailed(ex, retryIn.TotalSeconds);
                    }

                    await Task.Delay(retryIn, stoppingToken);
                }
            }
        }
        finally
        {
            await deleting;
        }
    }

    /// <summary>Receives and processes at most one batch, its delete included; returns how many messages it received.</summary>
    public async Task<int> PollOnceAsync(CancellationToken cancellationToken)
    {
        var (received, deleting) = await PollAsync(Task.CompletedTask, cancellationToken, cancellationToken);
        await deleting;
        return received;
    }

    /// <summary>
    /// Receives, invokes and starts the batch's delete; returns the count received and the delete in flight
    /// (it never throws: a failure is logged). <paramref name="previousDelete"/> was queued ahead of this
    /// receive, so it has committed by the time the receive returns; awaiting it keeps one delete in flight.
    /// </summary>
    private async Task<(int Received, Task Deleting)> PollAsync(Task previousDelete, CancellationToken cancellationToken, CancellationToken abandonToken)
    {
        var messages = await queue.ReceiveAsync(options.BatchSize, options.VisibilityTimeout, options.ReceiveWaitTime, cancellationToken);
        await previousDelete;
        if (messages.Count == 0)
        {
            return (0, Task.CompletedTask);
        }

        var payload = SqsEventFactory.Build(messages, options.QueueArn, options.Region);
        var startedAt = DateTimeOffset.UtcNow;
        var result = await runtime.InvokeAsync(payload, options.FunctionTimeout, cancellationToken: abandonToken);
        var failed = FailedMessageIds(result, messages);
        _observer.BatchInvoked(messages, result, startedAt, failed);
        var done = messages.Where(m => !failed.Contains(m.MessageId)).Select(m => m.ReceiptHandle).ToList();

        // One batched delete: one queue write (for SQLite, shared with whatever else commits with it) per batch.
        return (messages.Count, done.Count > 0 ? DeleteAsync(done) : Task.CompletedTask);
    }

    private async Task DeleteAsync(List<string> receiptHandles)
    {
        try
        {
            await queue.DeleteBatchAsync(receiptHandles, CancellationToken.None);
        }
#pragma warning disable CA1031 // Logged; the messages come back after the visibility timeout, as when an invocation fails.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogDeleteFailed(ex, receiptHandles.Count);
        }
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Invocation {requestId} ended {outcome} ({errorType}): every message of the batch (size {count}) will be received again after the visibility timeout")]
    private partial void LogInvocationFailed(string requestId, InvocationOutcome outcome, string errorType, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Invocation {requestId} ended {outcome}: every message of the batch (size {count}) will be received again after the visibility timeout")]
    private partial void LogInvocationEnded(string requestId, InvocationOutcome outcome, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Invocation {requestId} returned an invalid batch response: {problem}. As Lambda does, the whole batch failed: every message of the batch (size {count}) will be received again after the visibility timeout")]
    private partial void LogInvalidResponse(string requestId, string problem, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Deleting a batch of {count} processed messages failed; they will be received again after the visibility timeout")]
    private partial void LogDeleteFailed(Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Polling the queue failed; retrying in {seconds} s")]
    private partial void LogPollFailed(Exception exception, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The queue did not answer the receive: {reason}; retrying in {seconds} s")]
    private partial void LogQueueUnavailable(string reason, double seconds);

    /// <summary>1, 2, 4, 8, then 10 s between failed polls in a row: an unreachable queue is not asked every second by every poller.</summary>
    internal static TimeSpan PollRetryDelay(int failuresInARow) =>
        TimeSpan.FromSeconds(Math.Min(10, 1 << Math.Clamp(failuresInARow - 1, 0, 4)));

    /// <summary>
    /// The queue's endpoint could not be reached or refused the call (<c>--queue sqs</c>: a network error, an
    /// SQS error such as a missing queue): a condition of the queue, not of this code, so one line without a
    /// stack trace.
    /// </summary>
    private static bool IsQueueUnreachableOrRefusing(Exception exception) =>
        Chain(exception).Any(e => e is Queue.Sqs.SqsQueueException or Amazon.Runtime.AmazonServiceException or HttpRequestException or System.Net.Sockets.SocketException);

    /// <summary>The messages of <paramref name="exception"/> and its inner exceptions, each once, on one line.</summary>
    private static string OneLine(Exception exception)
    {
        var messages = new List<string>();
        foreach (var e in Chain(exception))
        {
            var message = e.Message.ReplaceLineEndings(" ").Trim();
            if (message.Length > 0 && !messages.Any(m => m.Contains(message, StringComparison.Ordinal)))
            {
                messages.Add(message);
            }
        }

        return string.Join(": ", messages);
    }

    private static IEnumerable<Exception> Chain(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            yield return e;
        }
    }
}
