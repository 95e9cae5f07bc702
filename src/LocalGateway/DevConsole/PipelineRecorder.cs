using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using SocketRelay.Infrastructure.Sqs;
using SocketRelay.LocalGateway.ApiGateway;
using SocketRelay.LocalGateway.Lambda;
using SocketRelay.LocalGateway.Queue;

namespace SocketRelay.LocalGateway.DevConsole;

/// <summary>
/// The developer console's memory: the journeys of the last <see cref="MessageCapacity"/> messages,
/// the last <see cref="InvocationCapacity"/> invocations with their function log lines, messages per
/// open connection and per-second throughput and latency over the last <see cref="SeriesSeconds"/>
/// seconds. Everything is bounded; what must survive a restart (dead letters, counters) lives in the
/// queue instead. Each call takes one short lock and allocates a few small objects.
/// </summary>
public sealed class PipelineRecorder : IPipelineObserver, IDeadLetterObserver
{
    public const int DefaultMessageCapacity = 500;
    public const int DefaultInvocationCapacity = 200;
    public const int SeriesSeconds = 300;

    /// <summary>
    /// <c>@connections</c> answers kept for messages whose invocation has not ended yet, by the reply's
    /// <c>requestId</c>; the oldest go first. Apart from a caller's own posts, they are the messages of the
    /// batches running now, so this bounds them only against posts no invocation ever claims.
    /// </summary>
    public const int PendingPostCapacity = 10_000;
    private const int BodyPreviewChars = 2048;
    private const int RateWindowSeconds = 5;

    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly BoundedRing<Journey> _journeys;
    private readonly Dictionary<string, Journey> _byMessageId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Journey> _byRequestId = new(StringComparer.Ordinal);
    private readonly BoundedRing<InvocationRecord> _invocations;
    private readonly Dictionary<string, InvocationRecord> _invocationById = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _messagesPerConnection = new(StringComparer.Ordinal);
    private readonly SecondBucket[] _series = new SecondBucket[SeriesSeconds];
    private readonly Dictionary<string, long> _totals = new(StringComparer.Ordinal);

    // Kept apart from the journeys: a message's journey can leave the ring while it waits in a backlog, and its
    // outcome (delivered, gone, …) must still be counted from the @connections answer its invocation got.
    private readonly Dictionary<string, PendingPost> _pendingPosts = new(StringComparer.Ordinal);
    private readonly Queue<string> _pendingPostOrder = new();

    public PipelineRecorder(TimeProvider time, int messageCapacity = DefaultMessageCapacity, int invocationCapacity = DefaultInvocationCapacity)
    {
        _time = time;
        _journeys = new(messageCapacity);
        _invocations = new(invocationCapacity);
        for (var i = 0; i < _series.Length; i++)
        {
            _series[i] = new SecondBucket();
        }
    }

    public int MessageCapacity => _journeys.Capacity;

    public int InvocationCapacity => _invocations.Capacity;

    /// <summary>How many messages, invocations, connections and pending <c>@connections</c> answers the recorder holds now (for tests of its bounds).</summary>
    public (int Messages, int MessageIndex, int Invocations, int InvocationIndex, int Connections, int PendingPosts) Held
    {
        get
        {
            lock (_lock)
            {
                return (_journeys.Count, _byMessageId.Count + _byRequestId.Count, _invocations.Count, _invocationById.Count, _messagesPerConnection.Count, _pendingPosts.Count);
            }
        }
    }

    public void MessageQueued(string connectionId, string requestId, string messageGroupId, string body, SendResult queued, long receivedAt, long queuedAt)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(queued);
        lock (_lock)
        {
            Count("received");
            Bucket(receivedAt).Received++;
            _messagesPerConnection[connectionId] = _messagesPerConnection.GetValueOrDefault(connectionId) + 1;
            if (queued.IsDuplicate)
            {
                return;
            }

            var journey = JourneyFor(queued.MessageId);
            journey.RequestId = requestId;
            journey.ConnectionId = connectionId;
            journey.MessageGroupId = messageGroupId;
            journey.Body = body.Length > BodyPreviewChars ? body[..BodyPreviewChars] : body;
            journey.BodyLength = body.Length;
            journey.ReceivedAt = receivedAt;
            _byRequestId[requestId] = journey;
            // A fast poller may have invoked the function before this call: the first steps go first.
            journey.SequenceNumber = queued.SequenceNumber;
            journey.Steps.Insert(0, new JourneyStep(JourneySteps.Received, receivedAt));
            journey.Steps.Insert(1, new JourneyStep(JourneySteps.Queued, queuedAt));
            Count("queued");
        }
    }

    /// <summary>The connection left: its message count is forgotten, so the recorder holds only live connections' counts.</summary>
    public void ConnectionClosed(string connectionId)
    {
        lock (_lock)
        {
            _messagesPerConnection.Remove(connectionId);
        }
    }

    public void PostedToConnection(string connectionId, string? requestId, int statusCode)
    {
        var now = Now();
        lock (_lock)
        {
            Count("connectionsPosts");
            if (requestId is null)
            {
                return;
            }

            ref var post = ref CollectionsMarshal.GetValueRefOrAddDefault(_pendingPosts, requestId, out var known);
            post = new PendingPost(post.Attempts + 1, statusCode, now);
            if (!known)
            {
                _pendingPostOrder.Enqueue(requestId);
                if (_pendingPostOrder.Count > PendingPostCapacity)
                {
                    // The oldest id may have been claimed already (then this removes nothing): the order queue is the bound.
                    _pendingPosts.Remove(_pendingPostOrder.Dequeue());
                }
            }
        }
    }

    public void BatchInvoked(IReadOnlyList<ReceivedMessage> messages, InvocationResult result, DateTimeOffset startedAt, IReadOnlySet<string> failedMessageIds)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(failedMessageIds);
        var started = startedAt.ToUnixTimeMilliseconds();
        var answered = result.AnsweredAt.ToUnixTimeMilliseconds();
        var outcome = result.Outcome switch
        {
            InvocationOutcome.Response => "response",
            InvocationOutcome.Error => "error",
            _ => "timedOut",
        };
        lock (_lock)
        {
            Count("invocations");
            Count("invocation." + outcome);
            var invocation = InvocationFor(result.RequestId);
            invocation.StartedAt = started;
            invocation.DurationMs = Math.Max(0, answered - started);
            invocation.BatchSize = messages.Count;
            invocation.Outcome = outcome;
            invocation.ErrorType = result.ErrorType;
            invocation.FailedCount = failedMessageIds.Count;
            invocation.MessageIds.EnsureCapacity(invocation.MessageIds.Count + messages.Count);
            var bucket = Bucket(answered);
            bucket.Invocations++;
            foreach (var message in messages)
            {
                invocation.MessageIds.Add(message.MessageId);
                var journey = JourneyFor(message.MessageId);
                FillFromQueue(journey, message);
                journey.Add(new JourneyStep(
                    JourneySteps.Invoked, started, null, result.RequestId, messages.Count, message.ApproximateReceiveCount));
                var post = journey.RequestId is { } requestId && _pendingPosts.Remove(requestId, out var answer) ? answer : (PendingPost?)null;
                var step = Outcome(journey, result, failedMessageIds.Contains(message.MessageId), answered, post);
                journey.Add(step);
                Count(step.Step);
                if (step.Step == JourneySteps.Delivered)
                {
                    bucket.Delivered++;

                    // A journey that left the ring while its message waited starts again at the invocation: the
                    // queue's SentTimestamp stands in for the frame's arrival.
                    bucket.AddLatency(step.At - (journey.ReceivedAt ?? message.SentTimestamp));
                }
                else if (step.Step == JourneySteps.Gone)
                {
                    // Processed, but no client got the reply: neither delivered nor failed.
                    bucket.Gone++;
                }
                else if (step.Step != JourneySteps.Completed)
                {
                    bucket.Failed++;
                }
            }
        }
    }

    public string? LastFailure(string messageId)
    {
        lock (_lock)
        {
            return _byMessageId.TryGetValue(messageId, out var journey) ? journey.LastFailure : null;
        }
    }

    public void DeadLettered(string messageId, string reason, long at)
    {
        lock (_lock)
        {
            Count("deadLettered");
            Bucket(at).DeadLettered++;
            JourneyFor(messageId).Add(new JourneyStep(JourneySteps.DeadLettered, at, reason));
        }
    }

    /// <summary>Records that an operator moved these dead letters back to the queue (or deleted them, with <see cref="JourneySteps.Deleted"/>).</summary>
    public void OperatorAction(IEnumerable<string> messageIds, string step)
    {
        ArgumentNullException.ThrowIfNull(messageIds);
        var now = Now();
        lock (_lock)
        {
            foreach (var messageId in messageIds)
            {
                Count(step);
                JourneyFor(messageId).Add(new JourneyStep(step, now, step == JourneySteps.Redriven ? "moved back to the queue by the console" : "deleted from the dead-letter queue by the console"));
            }
        }
    }

    /// <summary>Adds a line the function wrote during invocation <paramref name="requestId"/>; <paramref name="coldStart"/> is the line's <c>cold_start</c>.</summary>
    public void FunctionLogLine(string requestId, string line, bool? coldStart)
    {
        ArgumentNullException.ThrowIfNull(line);
        lock (_lock)
        {
            var invocation = InvocationFor(requestId);
            if (coldStart is { } cold)
            {
                invocation.ColdStart = invocation.ColdStart == true || cold;
            }

            if (invocation.LogLines.Count >= InvocationRecord.MaxLogLines)
            {
                invocation.DroppedLogLines++;
                return;
            }

            invocation.LogLines.Add(line.Length > InvocationRecord.MaxLogLineChars ? line[..InvocationRecord.MaxLogLineChars] : line);
        }
    }

    /// <summary>
    /// <c>{"messages":[{messageId, requestId, connectionId, messageGroupId, body, bodyLength, status, steps:[…]}]}</c>, newest first.
    /// </summary>
    public void WriteMessages(Utf8JsonWriter json, int limit, string? messageId = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        lock (_lock)
        {
            json.WriteStartObject();
            json.WriteStartArray("messages");
            var journeys = messageId is null
                ? _journeys.NewestFirst(limit)
                : _byMessageId.TryGetValue(messageId, out var one) ? [one] : [];
            foreach (var journey in journeys)
            {
                WriteJourney(json, journey);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }
    }

    /// <summary><c>{"invocations":[{requestId, startedAt, durationMs, batchSize, coldStart, outcome, errorType, failed, messageIds, logs:[…]}]}</c>, newest first.</summary>
    public void WriteInvocations(Utf8JsonWriter json, int limit)
    {
        ArgumentNullException.ThrowIfNull(json);
        lock (_lock)
        {
            json.WriteStartObject();
            json.WriteStartArray("invocations");
            foreach (var invocation in _invocations.NewestFirst(limit))
            {
                WriteInvocation(json, invocation);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }
    }

    /// <summary>
    /// <c>{"connections":[{connectionId, connectedAt, lastActiveAt, messages, sourceIp, userAgent}]}</c>, the
    /// <paramref name="limit"/> most recently opened of <paramref name="open"/>, newest first; forgets the
    /// counts of closed connections.
    /// </summary>
    public void WriteConnections(Utf8JsonWriter json, IReadOnlyList<ConnectionSnapshot> open, int limit)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(open);
        lock (_lock)
        {
            var live = open.Select(c => c.ConnectionId.Value).ToHashSet(StringComparer.Ordinal);
            foreach (var closed in _messagesPerConnection.Keys.Where(id => !live.Contains(id)).ToList())
            {
                _messagesPerConnection.Remove(closed);
            }

            json.WriteStartObject();
            json.WriteStartArray("connections");
            foreach (var connection in open.OrderByDescending(c => c.ConnectedAt).Take(limit))
            {
                json.WriteStartObject();
                json.WriteString("connectionId", connection.ConnectionId.Value);
                json.WriteNumber("connectedAt", connection.ConnectedAt.ToUnixTimeMilliseconds());
                json.WriteNumber("lastActiveAt", connection.LastActiveAt.ToUnixTimeMilliseconds());
                json.WriteNumber("messages", _messagesPerConnection.GetValueOrDefault(connection.ConnectionId.Value));
                json.WriteString("sourceIp", connection.SourceIp);
                json.WriteString("userAgent", connection.UserAgent);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }
    }

    /// <summary>
    /// The pipeline's stages with counts and rates (per second, over the last five seconds), and
    /// per-second series over the last <see cref="SeriesSeconds"/> seconds, oldest first.
    /// </summary>
    public void WritePipeline(Utf8JsonWriter json, QueueStats stats, int openConnections)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(stats);
        var now = Now();
        var second = now / 1000;
        lock (_lock)
        {
            double Rate(Func<SecondBucket, int> value)
            {
                var sum = 0;
                for (var s = second - RateWindowSeconds; s < second; s++)
                {
                    var bucket = _series[(int)(s % SeriesSeconds)];
                    sum += bucket.Second == s ? value(bucket) : 0;
                }

                return Math.Round(sum / (double)RateWindowSeconds, 1);
            }

            json.WriteStartObject();
            json.WriteNumber("now", now);
            json.WriteStartObject("webSocketApi");
            json.WriteNumber("connections", openConnections);
            json.WriteNumber("received", Total("received"));
            json.WriteNumber("receivedPerSecond", Rate(b => b.Received));
            json.WriteEndObject();
            json.WriteStartObject("queue");
            json.WriteNumber("accepted", stats.Accepted);
            json.WriteNumber("completed", stats.Completed);
            json.WriteNumber("queueDepth", stats.QueueDepth);
            json.WriteNumber("inFlight", stats.InFlight);
            json.WriteNumber("dlqDepth", stats.DeadLetterQueueDepth);
            json.WriteNumber("deadLettered", Total("deadLettered"));
            json.WriteNumber("redriven", Total(JourneySteps.Redriven));
            json.WriteEndObject();
            json.WriteStartObject("function");
            json.WriteNumber("invocations", Total("invocations"));
            json.WriteNumber("errors", Total("invocation.error"));
            json.WriteNumber("timeouts", Total("invocation.timedOut"));
            json.WriteNumber("invocationsPerSecond", Rate(b => b.Invocations));
            json.WriteEndObject();
            json.WriteStartObject("connectionsApi");
            json.WriteNumber("posts", Total("connectionsPosts"));
            json.WriteNumber("delivered", Total(JourneySteps.Delivered));
            json.WriteNumber("gone", Total(JourneySteps.Gone));
            json.WriteNumber("failed", Total(JourneySteps.Failed));
            json.WriteNumber("parked", Total(JourneySteps.Parked));
            json.WriteNumber("completed", Total(JourneySteps.Completed));
            json.WriteNumber("deliveredPerSecond", Rate(b => b.Delivered));
            json.WriteEndObject();
            json.WriteStartObject("series");
            json.WriteNumber("from", (second - SeriesSeconds + 1) * 1000);
            json.WriteNumber("intervalMs", 1000);
            WriteSeries(json, "received", second, b => b.Received);
            WriteSeries(json, "delivered", second, b => b.Delivered);
            WriteSeries(json, "gone", second, b => b.Gone);
            WriteSeries(json, "failed", second, b => b.Failed);
            WriteSeries(json, "deadLettered", second, b => b.DeadLettered);
            WriteSeries(json, "latencyAvgMs", second, b => b.LatencyCount == 0 ? 0 : (int)(b.LatencySumMs / b.LatencyCount));
            WriteSeries(json, "latencyMaxMs", second, b => b.LatencyMaxMs);
            json.WriteEndObject();
            json.WriteEndObject();
        }
    }

    private static JourneyStep Outcome(Journey journey, InvocationResult result, bool failed, long answered, PendingPost? post)
    {
        var status = post?.Status;
        var attempts = post?.Attempts;
        var postedAt = post?.PostedAt ?? answered;
        if (result.Outcome != InvocationOutcome.Response)
        {
            journey.LastFailure = result.Outcome == InvocationOutcome.Error
                ? $"the invocation {result.RequestId} failed ({result.ErrorType})."
                : $"the invocation {result.RequestId} timed out.";
            return new JourneyStep(JourneySteps.Failed, answered, journey.LastFailure, result.RequestId, null, null, status, attempts);
        }

        if (!failed)
        {
            // Delivered and gone are claimed only from a recorded @connections answer; otherwise the function's own word.
            return status switch
            {
                StatusCodes410 => new JourneyStep(JourneySteps.Gone, postedAt, "the client had left: @connections answered 410 Gone", result.RequestId, null, null, status, attempts),
                >= 200 and < 300 => new JourneyStep(JourneySteps.Delivered, postedAt, "reply sent to the client", result.RequestId, null, null, status, attempts),
                { } other => new JourneyStep(
                    JourneySteps.Completed, answered, $"processed: the function did not report it failed; @connections last answered {other} {ReasonPhrases.GetReasonPhrase(other)}", result.RequestId, null, null, status, attempts),
                null => new JourneyStep(
                    JourneySteps.Completed, answered, "processed: the function did not report it failed (no @connections status recorded)", result.RequestId, null, null, null, null),
            };
        }

        if (status is { } code && code is >= 400 and < 500 && code is not 410 and not 429)
        {
            journey.LastFailure = $"@connections answered {code} {ReasonPhrases.GetReasonPhrase(code)}{Hint(code)}.";
            return new JourneyStep(JourneySteps.Parked, postedAt, $"can never be delivered, left for the dead-letter queue: {journey.LastFailure}", result.RequestId, null, null, status, attempts);
        }

        journey.LastFailure = status is { } last
            ? $"@connections answered {last} {ReasonPhrases.GetReasonPhrase(last)} after {attempts} attempt(s)."
            : "the function reported it in batchItemFailures.";
        return new JourneyStep(JourneySteps.Failed, postedAt, $"will be received again after the visibility timeout: {journey.LastFailure}", result.RequestId, null, null, status, attempts);
    }

    private const int StatusCodes410 = 410;

    /// <summary>The <c>@connections</c> answers for one reply during its invocation: how many, the last status, when (Unix ms).</summary>
    private readonly record struct PendingPost(int Attempts, int Status, long PostedAt);

    private static string Hint(int statusCode) => statusCode switch
    {
        413 => " (the reply is over API Gateway's 128 KB limit)",
        403 => " (the function may not post to this API)",
        _ => "",
    };

    private static void FillFromQueue(Journey journey, ReceivedMessage message)
    {
        if (journey.RequestId is not null)
        {
            return;
        }

        journey.ConnectionId = message.MessageAttributes.GetValueOrDefault(SqsRecordMapper.ConnectionIdAttribute);
        journey.RequestId = message.MessageAttributes.GetValueOrDefault(SqsRecordMapper.RequestIdAttribute);
        journey.MessageGroupId = message.MessageGroupId;
        journey.Body = message.Body.Length > BodyPreviewChars ? message.Body[..BodyPreviewChars] : message.Body;
        journey.BodyLength = message.Body.Length;
        if (journey.Steps.Count == 0)
        {
            // First seen at its invocation (its journey left the ring while it waited, or it was queued before this
            // start): the queue's SentTimestamp says when it was queued, so the wait still shows.
            journey.SequenceNumber = message.SequenceNumber;
            journey.Add(new JourneyStep(JourneySteps.Queued, message.SentTimestamp));
        }
    }

    private Journey JourneyFor(string messageId)
    {
        if (_byMessageId.TryGetValue(messageId, out var journey))
        {
            return journey;
        }

        journey = new Journey(messageId);
        _byMessageId[messageId] = journey;
        if (_journeys.Add(journey) is { } evicted)
        {
            _byMessageId.Remove(evicted.MessageId);
            if (evicted.RequestId is { } requestId && _byRequestId.TryGetValue(requestId, out var indexed) && ReferenceEquals(indexed, evicted))
            {
                _byRequestId.Remove(requestId);
            }
        }

        return journey;
    }

    private InvocationRecord InvocationFor(string requestId)
    {
        if (_invocationById.TryGetValue(requestId, out var invocation))
        {
            return invocation;
        }

        invocation = new InvocationRecord(requestId);
        _invocationById[requestId] = invocation;
        if (_invocations.Add(invocation) is { } evicted)
        {
            _invocationById.Remove(evicted.RequestId);
        }

        return invocation;
    }

    private SecondBucket Bucket(long unixMs)
    {
        var second = unixMs / 1000;
        var bucket = _series[(int)(second % SeriesSeconds)];
        if (bucket.Second != second)
        {
            bucket.Reset(second);
        }

        return bucket;
    }

    private void Count(string name) => _totals[name] = _totals.GetValueOrDefault(name) + 1;

    private long Total(string name) => _totals.GetValueOrDefault(name);

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private void WriteSeries(Utf8JsonWriter json, string name, long second, Func<SecondBucket, int> value)
    {
        json.WriteStartArray(name);
        for (var s = second - SeriesSeconds + 1; s <= second; s++)
        {
            var bucket = _series[(int)(s % SeriesSeconds)];
            json.WriteNumberValue(bucket.Second == s ? value(bucket) : 0);
        }

        json.WriteEndArray();
    }

    private static void WriteJourney(Utf8JsonWriter json, Journey journey)
    {
        json.WriteStartObject();
        json.WriteString("messageId", journey.MessageId);
        WriteOptional(json, "requestId", journey.RequestId);
        WriteOptional(json, "connectionId", journey.ConnectionId);
        WriteOptional(json, "messageGroupId", journey.MessageGroupId);
        WriteOptional(json, "body", journey.Body);
        json.WriteNumber("bodyLength", journey.BodyLength);
        WriteOptional(json, "status", journey.Outcome);
        json.WriteStartArray("steps");
        foreach (var step in journey.Steps)
        {
            json.WriteStartObject();
            json.WriteString("step", step.Step);
            json.WriteNumber("at", step.At);
            WriteOptional(json, "detail", journey.DetailOf(step));
            WriteOptional(json, "invocationRequestId", step.InvocationRequestId);
            WriteOptional(json, "batchSize", step.BatchSize);
            WriteOptional(json, "receiveCount", step.ReceiveCount);
            WriteOptional(json, "statusCode", step.StatusCode);
            WriteOptional(json, "attempts", step.Attempts);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteInvocation(Utf8JsonWriter json, InvocationRecord invocation)
    {
        json.WriteStartObject();
        json.WriteString("requestId", invocation.RequestId);
        WriteOptional(json, "startedAt", invocation.StartedAt);
        WriteOptional(json, "durationMs", invocation.DurationMs);
        json.WriteNumber("batchSize", invocation.BatchSize);
        if (invocation.ColdStart is { } cold)
        {
            json.WriteBoolean("coldStart", cold);
        }

        WriteOptional(json, "outcome", invocation.Outcome);
        WriteOptional(json, "errorType", invocation.ErrorType);
        json.WriteNumber("failed", invocation.FailedCount);
        json.WriteStartArray("messageIds");
        foreach (var id in invocation.MessageIds)
        {
            json.WriteStringValue(id);
        }

        json.WriteEndArray();
        json.WriteStartArray("logs");
        foreach (var line in invocation.LogLines)
        {
            WriteLogLine(json, line);
        }

        json.WriteEndArray();
        json.WriteNumber("droppedLogLines", invocation.DroppedLogLines);
        json.WriteEndObject();
    }

    /// <summary>A JSON log line as the object it is; anything else (a truncated line) as a string.</summary>
    private static void WriteLogLine(Utf8JsonWriter json, string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            document.RootElement.WriteTo(json);
        }
        catch (JsonException)
        {
            json.WriteStringValue(line);
        }
    }

    private static void WriteOptional(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }

    private static void WriteOptional(Utf8JsonWriter json, string name, long? value)
    {
        if (value is { } number)
        {
            json.WriteNumber(name, number);
        }
    }

    private sealed class SecondBucket
    {
        public long Second { get; private set; } = -1;

        public int Received { get; set; }

        public int Delivered { get; set; }

        public int Gone { get; set; }

        public int Failed { get; set; }

        public int DeadLettered { get; set; }

        public int Invocations { get; set; }

        public long LatencySumMs { get; private set; }

        public int LatencyCount { get; private set; }

        public int LatencyMaxMs { get; private set; }

        public void AddLatency(long ms)
        {
            var clamped = (int)Math.Clamp(ms, 0, int.MaxValue);
            LatencySumMs += clamped;
            LatencyCount++;
            LatencyMaxMs = Math.Max(LatencyMaxMs, clamped);
        }

        public void Reset(long second)
        {
            Second = second;
            Received = Delivered = Gone = Failed = DeadLettered = Invocations = 0;
            LatencySumMs = 0;
            LatencyCount = LatencyMaxMs = 0;
        }
    }
}
