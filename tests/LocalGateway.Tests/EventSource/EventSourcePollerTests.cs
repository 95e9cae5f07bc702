using System.Text.Json;
using Microsoft.Extensions.Logging;
using SocketRelay.Infrastructure.LambdaRuntime;
using SocketRelay.Infrastructure.Serialization;
using SocketRelay.Infrastructure.Sqs;
using SocketRelay.LocalGateway.EventSource;
using SocketRelay.LocalGateway.Lambda;
using SocketRelay.LocalGateway.Queue;
using SocketRelay.LocalGateway.Tests.ApiGateway;

namespace SocketRelay.LocalGateway.Tests.EventSource;

/// <summary>The poller against a real SQLite queue and a real local Runtime API, with the test playing the function.</summary>
public sealed class EventSourcePollerTests : IAsyncLifetime, IDisposable
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "socketrelay-poller-" + Guid.NewGuid().ToString("N"));
    private SqliteFifoQueue _queue = null!;
    private LocalRuntimeApi _runtime = null!;
    private RuntimeApiClient _function = null!;

    private readonly EventSourceOptions _options = new()
    {
        VisibilityTimeout = TimeSpan.FromSeconds(30),
        FunctionTimeout = TimeSpan.FromSeconds(5),
        ReceiveWaitTime = TimeSpan.FromMilliseconds(200),
    };

    public async Task InitializeAsync()
    {
        _queue = SqliteFifoQueue.Open(new SqliteQueueOptions { DataDirectory = _dataDir }, TimeProvider.System);
        _runtime = await LocalRuntimeApi.StartAsync();
        _function = new RuntimeApiClient(_runtime.Address);
        _loggerFactory = new LoggerFactory([_gatewayLog]);
    }

    public void Dispose()
    {
        _function.Dispose();
        _loggerFactory.Dispose();
        _gatewayLog.Dispose();
    }

    public async Task DisposeAsync()
    {
        await _runtime.DisposeAsync();
        _queue.Dispose();
        Directory.Delete(_dataDir, recursive: true);
    }

    private readonly RecordingLoggerProvider _gatewayLog = new();
    private LoggerFactory _loggerFactory = null!;

    private EventSourcePoller Poller() => new(_queue, _runtime, _options, _loggerFactory.CreateLogger<EventSourcePoller>());

    private Task<SendResult> SendAsync(string group, string body, string dedup) =>
        _queue.SendAsync(new OutgoingMessage(body, group, dedup, new Dictionary<string, string> { ["connectionId"] = "c-" + dedup, ["requestId"] = dedup }), CancellationToken.None);

    /// <summary>Plays the function for one invocation: returns the event it got and answers with <paramref name="answer"/>.</summary>
    private async Task<SqsEvent> AnswerOneAsync(Func<SqsEvent, string, Task> answer)
    {
        var invocation = await _function.GetNextInvocationAsync(CancellationToken.None);
        var sqsEvent = JsonSerializer.Deserialize(invocation.Payload, SocketRelayJsonContext.Wire.SqsEvent)!;
        await answer(sqsEvent, invocation.RequestId);
        return sqsEvent;
    }

    private Task RespondAsync(string requestId, params string[] failedIds) =>
        _function.PostResponseAsync(requestId, JsonSerializer.SerializeToUtf8Bytes(
            new SqsBatchResponse { BatchItemFailures = [.. failedIds.Select(id => new SqsBatchItemFailure { ItemIdentifier = id })] },
            SocketRelayJsonContext.Wire.SqsBatchResponse), CancellationToken.None);

    [Fact]
    public async Task The_event_carries_every_sqs_record_field_and_the_batch_in_queue_order()
    {
        await SendAsync("g", "Test message.", "r1");
        await SendAsync("g", "{\"n\":2}", "r2");

        var polling = Poller().PollOnceAsync(CancellationToken.None);
        var sqsEvent = await AnswerOneAsync((_, id) => RespondAsync(id));
        await polling;

        Assert.Equal(["Test message.", "{\"n\":2}"], sqsEvent.Records!.Select(r => r.Body));
        var record = sqsEvent.Records![0];
        Assert.Equal("e4e68fb7bd0e697a0ae8f1bb342846b3", record.Md5OfBody);
        Assert.Equal("aws:sqs", record.EventSource);
        Assert.Equal("arn:aws:sqs:us-east-1:000000000000:socketrelay-local-messages.fifo", record.EventSourceArn);
        Assert.Equal("us-east-1", record.AwsRegion);
        Assert.False(string.IsNullOrEmpty(record.ReceiptHandle));
        Assert.Equal("1", record.Attributes!["ApproximateReceiveCount"]);
        Assert.Equal("r1", record.Attributes["MessageDeduplicationId"]);
        Assert.Equal("g", record.Attributes["MessageGroupId"]);
        Assert.Equal("c-r1", record.MessageAttributes!["connectionId"].StringValue);
        Assert.Equal("String", record.MessageAttributes["connectionId"].DataType);
    }

    [Fact]
    public async Task Each_record_has_awss_fields_in_awss_order_with_the_attribute_digest_sqs_computes()
    {
        await SendAsync("g", "Test message.", "r1");

        var polling = Poller().PollOnceAsync(CancellationToken.None);
        var invocation = await _function.GetNextInvocationAsync(CancellationToken.None);
        await RespondAsync(invocation.RequestId);
        await polling;

        // One identity: the function and the queue are in the same account and region.
        Assert.Equal("arn:aws:lambda:us-east-1:000000000000:function:socketrelay-local", invocation.FunctionArn);

        // AWS Lambda Developer Guide, "Using Lambda with Amazon SQS": the example FIFO queue message event, with
        // md5OfMessageAttributes where SQS puts it (before md5OfBody) when the message has attributes.
        using var json = JsonDocument.Parse(invocation.Payload);
        var record = json.RootElement.GetProperty("Records")[0];
        Assert.Equal(
            ["messageId", "receiptHandle", "body", "attributes", "messageAttributes", "md5OfMessageAttributes", "md5OfBody", "eventSource", "eventSourceARN", "awsRegion"],
            record.EnumerateObject().Select(p => p.Name));
        Assert.Equal(
            ["ApproximateReceiveCount", "SentTimestamp", "SequenceNumber", "MessageGroupId", "SenderId", "MessageDeduplicationId", "ApproximateFirstReceiveTimestamp"],
            record.GetProperty("attributes").EnumerateObject().Select(p => p.Name));
        Assert.All(record.GetProperty("attributes").EnumerateObject(), p => Assert.Equal(JsonValueKind.String, p.Value.ValueKind));
        var connectionId = record.GetProperty("messageAttributes").GetProperty("connectionId");
        Assert.Equal("""{"stringValue":"c-r1","stringListValues":[],"binaryListValues":[],"dataType":"String"}""", connectionId.GetRawText());
        Assert.Equal(["connectionId", "requestId"], record.GetProperty("messageAttributes").EnumerateObject().Select(p => p.Name));

        var moto = await MotoSqs.DigestsAsync([new Dictionary<string, (string, string)> { ["connectionId"] = ("String", "c-r1"), ["requestId"] = ("String", "r1") }]);
        Assert.Equal(moto[0], record.GetProperty("md5OfMessageAttributes").GetString());
    }

    [Fact]
    public async Task Messages_not_reported_failed_are_deleted_and_reported_ones_stay_in_flight()
    {
        await SendAsync("a", "a1", "a1");
        await SendAsync("b", "b1", "b1");

        var polling = Poller().PollOnceAsync(CancellationToken.None);
        var sqsEvent = await AnswerOneAsync((e, id) => RespondAsync(id, e.Records!.Single(r => r.Body == "b1").MessageId!));
        await polling;

        var stats = await _queue.GetStatsAsync(CancellationToken.None);
        Assert.Equal(1, stats.Completed);
        Assert.Equal(1, stats.InFlight);
        Assert.Equal(2, sqsEvent.Records!.Count);
    }

    [Theory]
    [InlineData("error")]
    [InlineData("unknown-id")]
    [InlineData("unreadable")]
    public async Task An_invocation_error_or_an_invalid_response_deletes_nothing(string answer)
    {
        await SendAsync("a", "a1", "a1");
        await SendAsync("b", "b1", "b1");

        var polling = Poller().PollOnceAsync(CancellationToken.None);
        await AnswerOneAsync((_, id) => answer switch
        {
            "error" => _function.PostInvocationErrorAsync(id, new RuntimeError { ErrorMessage = "boom", ErrorType = "Runtime.Unhandled" }, CancellationToken.None),
            "unknown-id" => RespondAsync(id, "not-in-this-batch"),
            _ => _function.PostResponseAsync(id, "not json"u8.ToArray(), CancellationToken.None),
        });
        await polling;

        var stats = await _queue.GetStatsAsync(CancellationToken.None);
        Assert.Equal(0, stats.Completed);
        Assert.Equal(2, stats.InFlight);
    }

    [Fact]
    public async Task A_function_that_does_not_answer_by_its_timeout_leaves_the_batch_for_redelivery()
    {
        _options.FunctionTimeout = TimeSpan.FromMilliseconds(300);
        await SendAsync("a", "a1", "a1");

        var polling = Poller().PollOnceAsync(CancellationToken.None);
        await _function.GetNextInvocationAsync(CancellationToken.None); // taken, never answered
        var received = await polling.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(1, received);
        var stats = await _queue.GetStatsAsync(CancellationToken.None);
        Assert.Equal(0, stats.Completed);
        Assert.Equal(1, stats.InFlight);
        var log = Assert.Single(_gatewayLog.Entries, e => e.Message.StartsWith("Invocation ", StringComparison.Ordinal)).Message;
        Assert.Matches("^Invocation \\S+ ended TimedOut: every message of the batch \\(size 1\\) will be received again after the visibility timeout$", log);
    }

    /// <summary>Sends a1 (group a) and b1 (group b), lets the function answer with <paramref name="body"/> (ids written
    /// as A and B), and returns what was deleted and what the gateway logged.</summary>
    private async Task<(long Completed, long InFlight, string Log)> AnswerWithAsync(string body)
    {
        await SendAsync("a", "a1", "a1");
        await SendAsync("b", "b1", "b1");

        var polling = Poller().PollOnceAsync(CancellationToken.None);
        await AnswerOneAsync((e, id) =>
        {
            var text = body.Replace("A", e.Records!.Single(r => r.Body == "a1").MessageId, StringComparison.Ordinal)
                .Replace("B", e.Records!.Single(r => r.Body == "b1").MessageId, StringComparison.Ordinal);
            return _function.PostResponseAsync(id, System.Text.Encoding.UTF8.GetBytes(text), CancellationToken.None);
        });
        await polling;

        var stats = await _queue.GetStatsAsync(CancellationToken.None);
        return (stats.Completed, stats.InFlight, string.Join('\n', _gatewayLog.Entries.Select(e => e.Message)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("{}")]
    [InlineData(" \n")]
    [InlineData("{\"batchItemFailures\":null}")]
    [InlineData("{\"batchItemFailures\":[]}")]
    [InlineData("{\"BatchItemFailures\":[{\"itemIdentifier\":\"A\"}]}")]
    public async Task An_empty_or_null_response_or_no_failures_is_complete_success_and_deletes_the_batch(string body)
    {
        var (completed, inFlight, log) = await AnswerWithAsync(body);

        Assert.Equal(2, completed);
        Assert.Equal(0, inFlight);
        Assert.DoesNotContain("invalid", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_the_reported_failures_stay_when_the_rest_is_not_named()
    {
        var (completed, inFlight, _) = await AnswerWithAsync("{\"batchItemFailures\":[{\"itemIdentifier\":\"B\"},{\"itemIdentifier\":\"B\"}]}");

        Assert.Equal(1, completed);
        Assert.Equal(1, inFlight);
    }

    [Theory]
    [InlineData("not json", "the response is not JSON")]
    [InlineData("{\"batchItemFailures\":[{\"itemIdentifier\":\"A\"}", "the response is not JSON")]
    [InlineData("\"ok\"", "the response is a JSON string, not an object with batchItemFailures")]
    [InlineData("{\"batchItemFailures\":{\"itemIdentifier\":\"A\"}}", "batchItemFailures is a JSON object, not an array")]
    [InlineData("{\"batchItemFailures\":[\"A\"]}", "batchItemFailures[0] is a JSON string, not an object with an itemIdentifier")]
    [InlineData("{\"batchItemFailures\":[{\"itemIdentifier\":\"\"}]}", "batchItemFailures[0].itemIdentifier is empty")]
    [InlineData("{\"batchItemFailures\":[{\"itemIdentifier\":null}]}", "batchItemFailures[0].itemIdentifier is null")]
    [InlineData("{\"batchItemFailures\":[{\"itemIdentifier\":42}]}", "batchItemFailures[0].itemIdentifier is a JSON number, not a messageId string")]
    [InlineData("{\"batchItemFailures\":[{\"itemIdentifier\":\"B\"},{\"itemIdentifer\":\"A\"}]}", "batchItemFailures[1] has no itemIdentifier (its keys: itemIdentifer)")]
    [InlineData("{\"batchItemFailures\":[{\"ItemIdentifier\":\"A\"}]}", "batchItemFailures[0] has no itemIdentifier (its keys: ItemIdentifier)")]
    [InlineData("{\"batchItemFailures\":[{}]}", "batchItemFailures[0] has no itemIdentifier (its keys: none)")]
    [InlineData("{\"batchItemFailures\":[{\"itemIdentifier\":\"B\"},{\"itemIdentifier\":\"not-in-this-batch\"}]}", "batchItemFailures[1].itemIdentifier 'not-in-this-batch' is not the messageId of a message in this batch")]
    public async Task An_invalid_response_fails_the_whole_batch_and_the_gateway_says_why(string body, string reason)
    {
        var (completed, inFlight, log) = await AnswerWithAsync(body);

        Assert.Equal(0, completed);
        Assert.Equal(2, inFlight);
        Assert.Contains("returned an invalid batch response: " + reason, log, StringComparison.Ordinal);
        Assert.Contains("the whole batch failed: every message of the batch (size 2) will be received again after the visibility timeout", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_running_poller_receives_its_next_batch_before_the_last_delete_commits_and_stops_only_after_it()
    {
        var queue = new GatedDeleteQueue(_queue);
        await SendAsync("a", "a1", "a1");
        using var stopping = new CancellationTokenSource();
        var running = new EventSourcePoller(queue, _runtime, _options, _loggerFactory.CreateLogger<EventSourcePoller>()).RunAsync(stopping.Token);

        await AnswerOneAsync((_, id) => RespondAsync(id));
        await queue.DeleteStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await queue.WaitForReceivesAsync(2).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(queue.DeleteGate.Task.IsCompleted);

        // Stopping does not drop the delete in flight: the poller ends once it has committed.
        await stopping.CancelAsync();
        await Task.Delay(300);
        Assert.False(running.IsCompleted);
        queue.DeleteGate.SetResult();
        await running.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1, (await _queue.GetStatsAsync(CancellationToken.None)).Completed);
    }

    [Fact]
    public async Task A_failed_delete_is_logged_and_the_poller_goes_on_with_the_next_batch()
    {
        var queue = new GatedDeleteQueue(_queue) { DeleteFailure = new IOException("disk I/O error") };
        queue.DeleteGate.SetResult();
        await SendAsync("a", "a1", "a1");
        using var stopping = new CancellationTokenSource();
        var running = new EventSourcePoller(queue, _runtime, _options, _loggerFactory.CreateLogger<EventSourcePoller>()).RunAsync(stopping.Token);
        await AnswerOneAsync((_, id) => RespondAsync(id));
        await queue.DeleteStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));

        queue.DeleteFailure = null;
        await SendAsync("b", "b1", "b1");
        var next = await AnswerOneAsync((_, id) => RespondAsync(id));
        await stopping.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(["b1"], next.Records!.Select(r => r.Body));
        Assert.Contains(_gatewayLog.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("Deleting a batch of 1 processed messages failed", StringComparison.Ordinal));
        var stats = await _queue.GetStatsAsync(CancellationToken.None);
        Assert.Equal((1L, 1L), (stats.Completed, stats.InFlight));
    }

    [Fact]
    public async Task An_unreachable_queue_is_one_warning_per_try_with_its_reason_and_a_growing_wait_then_polling_resumes()
    {
        var queue = new GatedDeleteQueue(_queue);
        queue.DeleteGate.SetResult();
        var refused = new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionRefused);
        queue.ReceiveFailures.Enqueue(new HttpRequestException("Connection refused (127.0.0.1:9324)", refused));
        queue.ReceiveFailures.Enqueue(new HttpRequestException("Connection refused (127.0.0.1:9324)", refused));
        await SendAsync("a", "a1", "a1");
        using var stopping = new CancellationTokenSource();
        var running = new EventSourcePoller(queue, _runtime, _options, _loggerFactory.CreateLogger<EventSourcePoller>()).RunAsync(stopping.Token);

        var delivered = await AnswerOneAsync((_, id) => RespondAsync(id));
        await stopping.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(["a1"], delivered.Records!.Select(r => r.Body));
        var warnings = _gatewayLog.Entries.Where(e => e.Message.StartsWith("The queue did not answer", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            ["The queue did not answer the receive: Connection refused (127.0.0.1:9324); retrying in 1 s",
             "The queue did not answer the receive: Connection refused (127.0.0.1:9324); retrying in 2 s"],
            warnings.Select(w => w.Message));
        Assert.All(warnings, w => Assert.Equal(LogLevel.Warning, w.Level));
        Assert.DoesNotContain(_gatewayLog.Entries, e => e.Level == LogLevel.Error);
    }

    [Fact]
    public void Failed_polls_in_a_row_wait_longer_each_time_up_to_ten_seconds()
    {
        Assert.Equal([1, 2, 4, 8, 10, 10], Enumerable.Range(1, 6).Select(n => EventSourcePoller.PollRetryDelay(n).TotalSeconds));
    }

    /// <summary>The real queue, with batch deletes that wait for <see cref="DeleteGate"/> and can fail.</summary>
    private sealed class GatedDeleteQueue(IFifoQueue inner) : IFifoQueue
    {
        private int _receives;

        public TaskCompletionSource DeleteGate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource DeleteStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Exception? DeleteFailure { get; set; }

        /// <summary>Thrown by the next receives, one each, before the queue answers again.</summary>
        public System.Collections.Concurrent.ConcurrentQueue<Exception> ReceiveFailures { get; } = new();

        public async Task WaitForReceivesAsync(int count)
        {
            while (Volatile.Read(ref _receives) < count)
            {
                await Task.Delay(10);
            }
        }

        public Task<SendResult> SendAsync(OutgoingMessage message, CancellationToken cancellationToken) => inner.SendAsync(message, cancellationToken);

        public Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(int maxMessages, TimeSpan visibilityTimeout, TimeSpan waitTime, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _receives);
            return ReceiveFailures.TryDequeue(out var failure)
                ? Task.FromException<IReadOnlyList<ReceivedMessage>>(failure)
                : inner.ReceiveAsync(maxMessages, visibilityTimeout, waitTime, cancellationToken);
        }

        public Task<bool> DeleteAsync(string receiptHandle, CancellationToken cancellationToken) => inner.DeleteAsync(receiptHandle, cancellationToken);

        public async Task<IReadOnlyList<bool>> DeleteBatchAsync(IReadOnlyList<string> receiptHandles, CancellationToken cancellationToken)
        {
            // Read before announcing the start: a test may clear DeleteFailure as soon as it sees the start.
            var failure = DeleteFailure;
            DeleteStarted.TrySetResult();
            await DeleteGate.Task;
            if (failure is not null)
            {
                throw failure;
            }

            return await inner.DeleteBatchAsync(receiptHandles, cancellationToken);
        }

        public Task<QueueStats> GetStatsAsync(CancellationToken cancellationToken) => inner.GetStatsAsync(cancellationToken);
    }
}
