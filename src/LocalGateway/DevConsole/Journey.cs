namespace SocketRelay.LocalGateway.DevConsole;

/// <summary>The steps of a message's journey through the pipeline, as the console names them.</summary>
public static class JourneySteps
{
    public const string Received = "received";
    public const string Queued = "queued";
    public const string Invoked = "invoked";
    public const string Delivered = "delivered";
    public const string Gone = "gone";

    /// <summary>The function did not report the message failed, but no <c>@connections</c> answer for it was
    /// recorded (after a restart, a redrive, or a post this gateway could not tie to it): done, outcome unknown.</summary>
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Parked = "parked";
    public const string DeadLettered = "dead-lettered";
    public const string Redriven = "redriven";
    public const string Deleted = "deleted";
}

/// <summary>
/// One step: its name (<see cref="JourneySteps"/>), when (Unix ms) and what is known about it. A value
/// kept inline in its journey's list: the recorder holds the last few hundred journeys, each living
/// long enough to outlast a young-generation collection, so each step as its own object would cost
/// every collection a copy.
/// </summary>
internal readonly record struct JourneyStep(
    string Step,
    long At,
    string? Detail = null,
    string? InvocationRequestId = null,
    int? BatchSize = null,
    int? ReceiveCount = null,
    int? StatusCode = null,
    int? Attempts = null);

/// <summary>One message followed from the WebSocket frame to its end; guarded by <see cref="PipelineRecorder"/>'s lock.</summary>
internal sealed class Journey(string messageId)
{
    /// <summary>A journey keeps its first steps and its latest ones; a message redriven forever cannot grow it.</summary>
    public const int MaxSteps = 40;

    public string MessageId { get; } = messageId;

    public string? RequestId { get; set; }

    public string? ConnectionId { get; set; }

    public string? MessageGroupId { get; set; }

    public string? Body { get; set; }

    public int BodyLength { get; set; }

    public long? ReceivedAt { get; set; }

    /// <summary>The queue's sequence number for the message, for the <see cref="JourneySteps.Queued"/> step's detail.</summary>
    public string? SequenceNumber { get; set; }

    /// <summary>The usual journey is received, queued, invoked and delivered: room for those four up front.</summary>
    public List<JourneyStep> Steps { get; } = new(4);

    /// <summary>Why the message last failed, for its dead-letter reason.</summary>
    public string? LastFailure { get; set; }

    public string? Outcome => Steps.Count == 0 ? null : Steps[^1].Step;

    /// <summary>
    /// What is known about <paramref name="step"/>: its own detail, or for the received and queued steps
    /// the connection, group and sequence number, written out only when the console asks.
    /// </summary>
    public string? DetailOf(JourneyStep step) => step.Detail ?? step.Step switch
    {
        JourneySteps.Received when ConnectionId is not null => $"from connection {ConnectionId}, group {MessageGroupId}",
        JourneySteps.Queued when SequenceNumber is not null => $"sequence number {SequenceNumber}",
        _ => null,
    };

    public void Add(JourneyStep step)
    {
        if (Steps.Count >= MaxSteps)
        {
            Steps.RemoveAt(2);
        }

        Steps.Add(step);
    }
}

/// <summary>One invocation of the function, with the log lines it wrote; guarded by <see cref="PipelineRecorder"/>'s lock.</summary>
internal sealed class InvocationRecord(string requestId)
{
    public const int MaxLogLines = 100;
    public const int MaxLogLineChars = 8 * 1024;

    public string RequestId { get; } = requestId;

    public long? StartedAt { get; set; }

    public long? DurationMs { get; set; }

    public int BatchSize { get; set; }

    public bool? ColdStart { get; set; }

    /// <summary><c>response</c>, <c>error</c>, <c>timedOut</c>, or null while it runs.</summary>
    public string? Outcome { get; set; }

    public string? ErrorType { get; set; }

    public int FailedCount { get; set; }

    public List<string> MessageIds { get; } = [];

    public List<string> LogLines { get; } = [];

    public int DroppedLogLines { get; set; }
}
