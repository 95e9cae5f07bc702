using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Amazon.Runtime;
using Amazon.SQS;
using Amazon.SQS.Model;

namespace SocketRelay.LocalGateway.Queue.Sqs;

/// <summary>
/// <see cref="IFifoQueue"/> on an Amazon SQS FIFO queue, or any SQS-compatible endpoint. SQS itself
/// keeps the FIFO rules; this adapter maps the port onto the SQS API. Throttling and server errors
/// are retried by the SDK; any other refusal surfaces as <see cref="SqsQueueException"/> carrying
/// SQS's error code.
/// </summary>
/// <remarks>
/// What SQS cannot tell, and how this adapter answers instead:
/// <list type="bullet">
/// <item><see cref="SendResult.IsDuplicate"/> is always false: SQS accepts a duplicate exactly like a
/// new message and says nothing about it.</item>
/// <item><see cref="QueueStats.Accepted"/> and <see cref="QueueStats.Completed"/> count this process's
/// successful sends (duplicates included) and deletes since it started; SQS keeps no such totals.</item>
/// <item><see cref="QueueStats.DeadLetterQueueDepth"/> follows the queue's <c>RedrivePolicy</c> to its
/// dead-letter queue and reads that queue's <c>ApproximateNumberOfMessages</c>; 0 without a redrive policy.</item>
/// </list>
/// </remarks>
[SuppressMessage("Naming", "CA1711", Justification = "It is a queue: the name says what it adapts.")]
public sealed class SqsFifoQueue : IFifoQueue
{
    public const int MaxMessagesPerReceive = 10;
    public static readonly TimeSpan MaxVisibilityTimeout = TimeSpan.FromHours(12);
    public static readonly TimeSpan MaxWaitTime = TimeSpan.FromSeconds(20);

    private const string ApproximateNumberOfMessages = "ApproximateNumberOfMessages";
    private const string ApproximateNumberOfMessagesNotVisible = "ApproximateNumberOfMessagesNotVisible";
    private const string RedrivePolicy = "RedrivePolicy";

    private readonly IAmazonSQS _client;
    private readonly string _queueUrl;
    private readonly DeadLetterQueueLocator _deadLetterQueues;
    private long _accepted;
    private long _completed;

    public SqsFifoQueue(IAmazonSQS client, SqsQueueOptions options)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _client = client;
        _queueUrl = options.QueueUrl;
        _deadLetterQueues = new DeadLetterQueueLocator(client);
    }

    public async Task<SendResult> SendAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var request = SqsMessageMapper.ToSendRequest(_queueUrl, message);
        var response = await CallAsync("SendMessage", () => _client.SendMessageAsync(request, cancellationToken));
        Interlocked.Increment(ref _accepted);
        return new SendResult(response.MessageId, response.SequenceNumber ?? "", IsDuplicate: false);
    }

    public async Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(
        int maxMessages, TimeSpan visibilityTimeout, TimeSpan waitTime, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessages, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxMessages, MaxMessagesPerReceive);
        ValidateVisibilityTimeout(visibilityTimeout);
        ArgumentOutOfRangeException.ThrowIfLessThan(waitTime, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(waitTime, MaxWaitTime);

        var request = SqsMessageMapper.ToReceiveRequest(_queueUrl, maxMessages, visibilityTimeout, waitTime);
        var response = await CallAsync("ReceiveMessage", () => _client.ReceiveMessageAsync(request, cancellationToken));
        return response.Messages is { } messages ? messages.ConvertAll(SqsMessageMapper.ToReceivedMessage) : [];
    }

    public async Task<bool> DeleteAsync(string receiptHandle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(receiptHandle);
        var request = new DeleteMessageRequest { QueueUrl = _queueUrl, ReceiptHandle = receiptHandle };
        var deleted = await CallWithReceiptHandleAsync(
            "DeleteMessage", () => _client.DeleteMessageAsync(request, cancellationToken));
        if (deleted)
        {
            Interlocked.Increment(ref _completed);
        }

        return deleted;
    }

    public async Task<QueueStats> GetStatsAsync(CancellationToken cancellationToken)
    {
        var attributes = await GetAttributesAsync(
            _queueUrl, [ApproximateNumberOfMessages, ApproximateNumberOfMessagesNotVisible, RedrivePolicy], cancellationToken);
        var deadLetterQueue = await LocateDeadLetterQueueAsync(attributes.GetValueOrDefault(RedrivePolicy), cancellationToken);
        var deadLetterDepth = 0L;
        if (deadLetterQueue is not null)
        {
            var deadLetterAttributes = await GetAttributesAsync(deadLetterQueue.Url, [ApproximateNumberOfMessages], cancellationToken);
            deadLetterDepth = ReadCount(deadLetterAttributes, ApproximateNumberOfMessages);
        }

        return new QueueStats(
            Interlocked.Read(ref _accepted),
            Interlocked.Read(ref _completed),
            ReadCount(attributes, ApproximateNumberOfMessages),
            ReadCount(attributes, ApproximateNumberOfMessagesNotVisible),
            deadLetterDepth);
    }

    private async Task<Dictionary<string, string>> GetAttributesAsync(
        string queueUrl, List<string> names, CancellationToken cancellationToken)
    {
        var request = new GetQueueAttributesRequest { QueueUrl = queueUrl, AttributeNames = names };
        var response = await CallAsync(
            "GetQueueAttributes", () => _client.GetQueueAttributesAsync(request, cancellationToken), queueUrl);
        return response.Attributes ?? [];
    }

    private Task<DeadLetterQueue?> LocateDeadLetterQueueAsync(string? redrivePolicy, CancellationToken cancellationToken) =>
        CallAsync("GetQueueUrl", () => _deadLetterQueues.LocateAsync(redrivePolicy, cancellationToken));

    private static long ReadCount(Dictionary<string, string> attributes, string name) =>
        long.TryParse(attributes.GetValueOrDefault(name), CultureInfo.InvariantCulture, out var count) ? count : 0;

    private static void ValidateVisibilityTimeout(TimeSpan visibilityTimeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(visibilityTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(visibilityTimeout, MaxVisibilityTimeout);
    }

    /// <summary>
    /// Runs a call that takes a receipt handle; true when SQS accepted it, false when SQS says the
    /// handle is unknown or stale.
    /// </summary>
    private async Task<bool> CallWithReceiptHandleAsync<T>(string operation, Func<Task<T>> call)
    {
        try
        {
            await call();
            return true;
        }
        catch (AmazonSQSException exception) when (SqsErrors.IsStaleReceiptHandle(exception))
        {
            return false;
        }
        catch (AmazonServiceException exception)
        {
            throw SqsErrors.Describe(operation, _queueUrl, exception);
        }
    }

    private async Task<T> CallAsync<T>(string operation, Func<Task<T>> call, string? queueUrl = null)
    {
        try
        {
            return await call();
        }
        catch (AmazonServiceException exception)
        {
            throw SqsErrors.Describe(operation, queueUrl ?? _queueUrl, exception);
        }
    }
}
