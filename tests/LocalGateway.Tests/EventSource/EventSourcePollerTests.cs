using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using SocketRelay.Infrastructure.LambdaRuntime;
using SocketRelay.Infrastructure.Serialization;
using SocketRelay.Infrastructure.Sqs;
using SocketRelay.LocalGateway.EventSource;
using SocketRelay.LocalGateway.Lambda;
using SocketRelay.LocalGateway.Queue;

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
    }

    public void Dispose() => _function.Dispose();

    public async Task DisposeAsync()
    {
        await _runtime.DisposeAsync();
        _queue.Dispose();
        Directory.Delete(_dataDir, recursive: true);
    }

    private EventSourcePoller Poller() => new(_queue, _runtime, _options, NullLogger<EventSourcePoller>.Instance);

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
        Assert.Equal(_options.QueueArn, record.EventSourceArn);
        Assert.Equal("us-east-1", record.AwsRegion);
        Assert.False(string.IsNullOrEmpty(record.ReceiptHandle));
        foreach (var name in new[] { "ApproximateReceiveCount", "SentTimestamp", "SenderId", "ApproximateFirstReceiveTimestamp", "SequenceNumber", "MessageGroupId", "MessageDeduplicationId" })
        {
            Assert.True(record.Attributes!.ContainsKey(name), name);
        }

        Assert.Equal("1", record.Attributes!["ApproximateReceiveCount"]);
        Assert.Equal("r1", record.Attributes["MessageDeduplicationId"]);
        Assert.Equal("c-r1", record.MessageAttributes!["connectionId"].StringValue);
        Assert.Equal("String", record.MessageAttributes["connectionId"].DataType);
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

        var received = await Poller().PollOnceAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(1, received);
        var stats = await _queue.GetStatsAsync(CancellationToken.None);
        Assert.Equal(0, stats.Completed);
        Assert.Equal(1, stats.InFlight);
    }
}
