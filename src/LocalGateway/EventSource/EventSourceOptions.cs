using SocketRelay.Application.Configuration;
using SocketRelay.LocalGateway.Hosting;

namespace SocketRelay.LocalGateway.EventSource;

/// <summary>The local equivalent of a Lambda SQS event source mapping.</summary>
public sealed class EventSourceOptions
{
    /// <summary>The default of <see cref="Pollers"/> (ADR-026), also the gateway's <c>--pollers</c> default.</summary>
    public const int DefaultPollers = 8;

    /// <summary>
    /// The most pollers one gateway runs: each has its own execution environment (a Runtime API port, and
    /// with <c>--function-binary</c> a process), so thousands would exhaust the machine's file handles.
    /// </summary>
    public const int MaxPollers = 64;

    /// <summary>
    /// Pollers running at once, so batches in flight at most; each has its own function execution environment, so
    /// different groups progress in parallel. The environments start as events need them, not all at once.
    /// </summary>
    public int Pollers { get; set; } = DefaultPollers;

    /// <summary>Messages per event (1–10), as the mapping's <c>batchSize</c>.</summary>
    public int BatchSize { get; set; } = 10;

    /// <summary>How long the function may take per event before the invocation times out.</summary>
    public TimeSpan FunctionTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a received message stays hidden; AWS recommends at least six times the function timeout.</summary>
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Long-poll wait of each receive.</summary>
    public TimeSpan ReceiveWaitTime { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Each record's <c>awsRegion</c>: the region of the queue and of the function.</summary>
    public string Region { get; set; } = LocalIdentity.Default.Region;

    /// <summary>Each record's <c>eventSourceARN</c>: <c>arn:aws:sqs:{region}:{account}:{queue name}</c>.</summary>
    public string QueueArn { get; set; } = LocalIdentity.Default.QueueArn;

    /// <summary>Every setting that is out of range, by property name.</summary>
    public IEnumerable<OptionProblem> Problems()
    {
        if (Pollers is < 1 or > MaxPollers)
        {
            yield return new(nameof(Pollers), $"must be 1–{MaxPollers} (was {Pollers})");
        }

        if (BatchSize is < 1 or > 10)
        {
            yield return new(nameof(BatchSize), $"must be 1–10 (was {BatchSize})");
        }

        if (FunctionTimeout <= TimeSpan.Zero)
        {
            yield return new(nameof(FunctionTimeout), $"must be positive (was {FunctionTimeout})");
        }

        if (VisibilityTimeout < FunctionTimeout)
        {
            yield return new(nameof(VisibilityTimeout), $"must be at least {nameof(FunctionTimeout)} ({FunctionTimeout}) (was {VisibilityTimeout})");
        }
    }

    /// <exception cref="InvalidOptionsException">Any of <see cref="Problems"/>, all listed.</exception>
    public void Validate() => InvalidOptionsException.ThrowIfAny(nameof(EventSourceOptions), Problems());
}
