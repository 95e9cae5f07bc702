using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using SocketRelay.Infrastructure.Sqs;
using SocketRelay.LocalGateway.DevConsole;
using SocketRelay.LocalGateway.Lambda;
using SocketRelay.LocalGateway.Queue;

namespace SocketRelay.LocalGateway.Tests.DevConsole;

/// <summary>The console's bookkeeping: what a message's journey says, and that its memory stays bounded.</summary>
public sealed class PipelineRecorderTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, 500, TimeSpan.Zero));

    [Fact]
    public void A_delivered_message_has_every_step_with_the_invocation_receive_count_and_the_connections_answer()
    {
        var recorder = new PipelineRecorder(_time);
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        recorder.MessageQueued("conn-1", "req-a", "g", "hello", new SendResult("m1", "7", false), now, now + 2);
        recorder.PostedToConnection("conn-1", "req-a", 429);
        recorder.PostedToConnection("conn-1", "req-a", 200);
        recorder.BatchInvoked([Received("m1", "conn-1", "req-a")], Result("inv-1"), _time.GetUtcNow(), new HashSet<string>());

        var journey = Messages(recorder).Single();

        Assert.Equal("delivered", journey.GetProperty("status").GetString());
        Assert.Equal(["received", "queued", "invoked", "delivered"], Steps(journey).Select(s => s.GetProperty("step").GetString()));
        var invoked = Steps(journey)[2];
        Assert.Equal(("inv-1", 1, 1), (invoked.GetProperty("invocationRequestId").GetString(), invoked.GetProperty("batchSize").GetInt32(), invoked.GetProperty("receiveCount").GetInt32()));
        var delivered = Steps(journey)[3];
        Assert.Equal((200, 2), (delivered.GetProperty("statusCode").GetInt32(), delivered.GetProperty("attempts").GetInt32()));
        Assert.Equal(
            ["from connection conn-1, group g", "sequence number 7", "reply sent to the client"],
            Steps(journey).Where(s => s.TryGetProperty("detail", out _)).Select(s => s.GetProperty("detail").GetString()));
    }

    [Theory]
    [InlineData(410, false, "gone")]
    [InlineData(413, true, "parked")]
    [InlineData(403, true, "parked")]
    [InlineData(500, true, "failed")]
    public void The_connections_answer_and_the_batch_response_decide_the_outcome(int status, bool reportedFailed, string outcome)
    {
        var recorder = new PipelineRecorder(_time);
        recorder.MessageQueued("c", "r", "g", "b", new SendResult("m1", "1", false), 0, 0);
        recorder.PostedToConnection("c", "r", status);
        recorder.BatchInvoked([Received("m1", "c", "r")], Result("inv"), _time.GetUtcNow(), reportedFailed ? new HashSet<string> { "m1" } : []);

        Assert.Equal(outcome, Messages(recorder).Single().GetProperty("status").GetString());
        Assert.Equal(reportedFailed, recorder.LastFailure("m1")?.StartsWith($"@connections answered {status}", StringComparison.Ordinal) ?? false);
    }

    [Theory]
    [InlineData(false, "completed")]
    [InlineData(true, "failed")]
    public void Without_a_recorded_connections_answer_the_console_claims_neither_delivered_nor_gone(bool reportedFailed, string outcome)
    {
        // As after a restart or a redrive: the message is first seen at its receive, and no @connections answer is tied to it.
        var recorder = new PipelineRecorder(_time);
        recorder.BatchInvoked([Received("m1", "c", "r")], Result("inv"), _time.GetUtcNow(), reportedFailed ? new HashSet<string> { "m1" } : []);

        var journey = Messages(recorder).Single();
        Assert.Equal(outcome, journey.GetProperty("status").GetString());
        if (!reportedFailed)
        {
            Assert.Contains("no @connections status recorded", Steps(journey)[^1].GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_message_the_function_did_not_report_failed_after_a_413_is_not_shown_delivered()
    {
        var recorder = new PipelineRecorder(_time);
        recorder.MessageQueued("c", "r", "g", "b", new SendResult("m1", "1", false), 0, 0);
        recorder.PostedToConnection("c", "r", 413);
        recorder.BatchInvoked([Received("m1", "c", "r")], Result("inv"), _time.GetUtcNow(), new HashSet<string>());

        Assert.Equal("completed", Messages(recorder).Single().GetProperty("status").GetString());
    }

    [Fact]
    public void A_timed_out_invocation_fails_every_message_and_the_reason_says_so()
    {
        var recorder = new PipelineRecorder(_time);
        recorder.BatchInvoked([Received("m1", "c", "r"), Received("m2", "c", "r2")], Result("inv", InvocationOutcome.TimedOut), _time.GetUtcNow(), new HashSet<string> { "m1", "m2" });

        Assert.All(Messages(recorder), m => Assert.Equal("failed", m.GetProperty("status").GetString()));
        Assert.Equal("the invocation inv timed out.", recorder.LastFailure("m1"));
    }

    [Fact]
    public void Dead_lettering_and_redrive_are_steps_of_the_journey()
    {
        var recorder = new PipelineRecorder(_time);
        recorder.MessageQueued("c", "r", "g", "b", new SendResult("m1", "1", false), 0, 0);
        recorder.DeadLettered("m1", "Received 2 times", 5);
        recorder.OperatorAction(["m1"], JourneySteps.Redriven);

        Assert.Equal(["received", "queued", "dead-lettered", "redriven"], Steps(Messages(recorder).Single()).Select(s => s.GetProperty("step").GetString()));
    }

    [Fact]
    public void Under_any_load_the_recorder_holds_at_most_its_capacity_of_messages_invocations_and_log_lines()
    {
        var recorder = new PipelineRecorder(_time, messageCapacity: 50, invocationCapacity: 20);
        for (var i = 0; i < 20_000; i++)
        {
            var id = $"m{i}";
            recorder.MessageQueued($"c{i % 7}", $"r{i}", "g", new string('x', 10_000), new SendResult(id, $"{i}", false), i, i);
            recorder.PostedToConnection($"c{i % 7}", $"r{i}", 200);
            recorder.BatchInvoked([Received(id, $"c{i % 7}", $"r{i}")], Result($"inv{i}"), _time.GetUtcNow(), new HashSet<string>());
            recorder.FunctionLogLine($"inv{i}", "{\"message\":\"hi\"}", coldStart: null);
            recorder.FunctionLogLine("one-invocation", new string('y', 100_000), coldStart: false);
        }

        var held = recorder.Held;
        Assert.Equal((50, 50, 20, 20, 7, 0), (held.Messages, held.MessageIndex / 2, held.Invocations, held.InvocationIndex, held.Connections, held.PendingPosts));
        Assert.Equal("m19999", Messages(recorder).First().GetProperty("messageId").GetString());
        Assert.True(Messages(recorder).All(m => m.GetProperty("body").GetString()!.Length <= 2048));
    }

    [Fact]
    public void A_backlog_longer_than_the_journeys_kept_is_still_counted_delivered_message_by_message()
    {
        // 2,000 messages queued before any is invoked, against a ring of 50 journeys: most journeys leave the ring
        // before their message's invocation, which must still count each reply the client got.
        var recorder = new PipelineRecorder(_time, messageCapacity: 50);
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        const int count = 2000;
        for (var i = 0; i < count; i++)
        {
            recorder.MessageQueued("c", $"r{i}", "g", "b", new SendResult($"m{i}", $"{i}", false), now - 30, now - 29);
        }

        for (var i = 0; i < count; i++)
        {
            recorder.PostedToConnection("c", $"r{i}", i % 10 == 0 ? 410 : 200);
            recorder.BatchInvoked([Received($"m{i}", "c", $"r{i}", sentTimestamp: now - 29)], Result($"inv{i}"), _time.GetUtcNow(), new HashSet<string>());
        }

        _time.Advance(TimeSpan.FromSeconds(1));
        var pipeline = Pipeline(recorder);
        var connectionsApi = pipeline.GetProperty("connectionsApi");
        Assert.Equal((1800, 200, 0), (connectionsApi.GetProperty("delivered").GetInt32(), connectionsApi.GetProperty("gone").GetInt32(), connectionsApi.GetProperty("completed").GetInt32()));
        // A 410 is not a delivery: the series agree with the counters, and the rate counts only what clients got.
        Assert.Equal((1800, 200), (pipeline.GetProperty("series").GetProperty("delivered")[298].GetInt32(), pipeline.GetProperty("series").GetProperty("gone")[298].GetInt32()));
        Assert.Equal(1800 / 5.0, connectionsApi.GetProperty("deliveredPerSecond").GetDouble(), 1);
        Assert.InRange(pipeline.GetProperty("series").GetProperty("latencyMaxMs")[298].GetInt32(), 29, 40);
        Assert.Equal(0, recorder.Held.PendingPosts);
        // The journeys kept were started again at their invocation: they still show when the message was queued.
        Assert.All(Messages(recorder), message => Assert.Equal(
            [JourneySteps.Queued, JourneySteps.Invoked],
            Steps(message).Take(2).Select(step => step.GetProperty("step").GetString())));
    }

    [Fact]
    public void Connections_answers_no_invocation_claims_are_bounded()
    {
        var recorder = new PipelineRecorder(_time);
        for (var i = 0; i < PipelineRecorder.PendingPostCapacity * 3; i++)
        {
            recorder.PostedToConnection("c", $"posted by hand {i}", 200);
        }

        Assert.Equal(PipelineRecorder.PendingPostCapacity, recorder.Held.PendingPosts);
    }

    [Fact]
    public void Connections_that_come_and_go_leave_nothing_behind_once_closed()
    {
        var recorder = new PipelineRecorder(_time);
        for (var i = 0; i < 10_000; i++)
        {
            recorder.MessageQueued($"c{i}", $"r{i}", "g", "b", new SendResult($"m{i}", $"{i}", false), i, i);
            recorder.ConnectionClosed($"c{i}");
        }

        recorder.MessageQueued("live", "r", "g", "b", new SendResult("m", "1", false), 1, 1);

        Assert.Equal(1, recorder.Held.Connections);
    }

    [Fact]
    public void A_journey_keeps_a_bounded_number_of_steps_however_often_a_message_is_retried()
    {
        var recorder = new PipelineRecorder(_time);
        recorder.MessageQueued("c", "r", "g", "b", new SendResult("m1", "1", false), 0, 0);
        for (var i = 0; i < 1000; i++)
        {
            recorder.BatchInvoked([Received("m1", "c", "r")], Result($"inv{i}"), _time.GetUtcNow(), new HashSet<string> { "m1" });
        }

        var steps = Steps(Messages(recorder).Single());
        Assert.Equal(40, steps.Count);
        Assert.Equal(["received", "queued"], steps.Take(2).Select(s => s.GetProperty("step").GetString()));
        Assert.Equal("inv999", steps[^1].GetProperty("invocationRequestId").GetString());
    }

    [Fact]
    public void Throughput_and_latency_per_second_are_in_the_pipeline_series()
    {
        var recorder = new PipelineRecorder(_time);
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        recorder.MessageQueued("c", "r", "g", "b", new SendResult("m1", "1", false), now - 40, now - 39);
        recorder.PostedToConnection("c", "r", 200);
        recorder.BatchInvoked([Received("m1", "c", "r")], Result("inv"), _time.GetUtcNow(), new HashSet<string>());
        _time.Advance(TimeSpan.FromSeconds(1));

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            recorder.WritePipeline(json, new QueueStats(1, 1, 0, 0, 0), 1);
        }

        var series = JsonDocument.Parse(buffer.ToArray()).RootElement.GetProperty("series");
        Assert.Equal(300, series.GetProperty("delivered").GetArrayLength());
        Assert.Equal(1, series.GetProperty("delivered")[298].GetInt32());
        Assert.Equal(1, series.GetProperty("received")[298].GetInt32());
        Assert.Equal(40, series.GetProperty("latencyMaxMs")[298].GetInt32());
    }

    private static InvocationResult Result(string requestId, InvocationOutcome outcome = InvocationOutcome.Response) =>
        new(requestId, outcome, "{}"u8.ToArray(), null, DateTimeOffset.UtcNow, new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    private static ReceivedMessage Received(string messageId, string connectionId, string requestId, long sentTimestamp = 0) => new(
        messageId, "handle", "body", "g", requestId,
        new Dictionary<string, string> { [SqsRecordMapper.ConnectionIdAttribute] = connectionId, [SqsRecordMapper.RequestIdAttribute] = requestId },
        1, sentTimestamp, 0, "1", "sender");

    private static JsonElement Pipeline(PipelineRecorder recorder)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            recorder.WritePipeline(json, new QueueStats(0, 0, 0, 0, 0), 1);
        }

        return JsonDocument.Parse(buffer.ToArray()).RootElement.Clone();
    }

    private static List<JsonElement> Messages(PipelineRecorder recorder)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            recorder.WriteMessages(json, 1000);
        }

        return [.. JsonDocument.Parse(buffer.ToArray()).RootElement.GetProperty("messages").EnumerateArray()];
    }

    private static List<JsonElement> Steps(JsonElement journey) => [.. journey.GetProperty("steps").EnumerateArray()];
}
