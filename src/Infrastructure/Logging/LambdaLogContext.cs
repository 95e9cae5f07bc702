using Serilog.Events;

namespace SocketRelay.Infrastructure.Logging;

/// <summary>
/// The Lambda facts every log line carries under the Powertools key names: the function's
/// (<c>function_name</c>, <c>function_version</c>, <c>function_memory_size</c>, read once from the
/// environment Lambda sets) and the current invocation's (<c>function_arn</c>,
/// <c>function_request_id</c>, <c>xray_trace_id</c>), which the runtime loop sets through
/// <see cref="BeginInvocation"/> and clears through <see cref="EndInvocation"/>.
/// <c>cold_start</c> is true until the first invocation ends: the init phase and the first
/// invocation are the cold start.
/// </summary>
/// <remarks>
/// Lambda runs one invocation at a time per process, but the Application logs from worker threads:
/// the facts are kept as one immutable snapshot swapped atomically, so a reader never sees a request
/// id of one invocation with the trace id of another.
/// </remarks>
public sealed class LambdaLogContext
{
    private readonly LogEventProperty[] _functionFacts;
    private LogEventProperty[] _current;
    private int _invocationsBegun;

    /// <summary>Reads the function facts through <paramref name="getEnvironmentVariable"/>; unknown ones are left out of log lines.</summary>
    public LambdaLogContext(Func<string, string?> getEnvironmentVariable)
    {
        ArgumentNullException.ThrowIfNull(getEnvironmentVariable);
        var facts = new List<LogEventProperty>(3);
        AddIfKnown(facts, LambdaLogKeys.FunctionName, getEnvironmentVariable("AWS_LAMBDA_FUNCTION_NAME"));
        AddIfKnown(facts, LambdaLogKeys.FunctionVersion, getEnvironmentVariable("AWS_LAMBDA_FUNCTION_VERSION"));
        if (int.TryParse(getEnvironmentVariable("AWS_LAMBDA_FUNCTION_MEMORY_SIZE"), out var memorySize))
        {
            facts.Add(new LogEventProperty(LambdaLogKeys.FunctionMemorySize, new ScalarValue(memorySize)));
        }

        _functionFacts = [.. facts];
        _current = Snapshot(coldStart: true, invocationFacts: []);
    }

    /// <summary>The facts to add to a log event written now, <c>cold_start</c> first.</summary>
    internal IReadOnlyList<LogEventProperty> CurrentProperties => Volatile.Read(ref _current);

    /// <summary>
    /// Called by the runtime loop when <c>/invocation/next</c> returns, with the values of its
    /// <c>Lambda-Runtime-Aws-Request-Id</c>, <c>Lambda-Runtime-Invoked-Function-Arn</c> and
    /// <c>Lambda-Runtime-Trace-Id</c> headers. The trace header may be the full
    /// <c>Root=…;Parent=…;Sampled=…</c> value: only the root trace id is logged, as Powertools does.
    /// </summary>
    public void BeginInvocation(string requestId, string functionArn, string? traceId)
    {
        ArgumentNullException.ThrowIfNull(requestId);
        ArgumentNullException.ThrowIfNull(functionArn);
        var coldStart = Interlocked.Increment(ref _invocationsBegun) == 1;
        var facts = new List<LogEventProperty>(3);
        AddIfKnown(facts, LambdaLogKeys.FunctionArn, functionArn);
        AddIfKnown(facts, LambdaLogKeys.FunctionRequestId, requestId);
        AddIfKnown(facts, LambdaLogKeys.XRayTraceId, RootTraceId(traceId));
        Volatile.Write(ref _current, Snapshot(coldStart, facts));
    }

    /// <summary>
    /// Called by the runtime loop once the invocation's response or error is posted, so lines
    /// written while waiting for the next one do not carry a finished request's id.
    /// </summary>
    public void EndInvocation() => Volatile.Write(ref _current, Snapshot(coldStart: false, invocationFacts: []));

    private LogEventProperty[] Snapshot(bool coldStart, IReadOnlyCollection<LogEventProperty> invocationFacts)
    {
        var coldStartProperty = new LogEventProperty(LambdaLogKeys.ColdStart, new ScalarValue(coldStart));
        return [coldStartProperty, .. _functionFacts, .. invocationFacts];
    }

    private static void AddIfKnown(List<LogEventProperty> facts, string key, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            facts.Add(new LogEventProperty(key, new ScalarValue(value.Trim())));
        }
    }

    private static string? RootTraceId(string? traceHeader)
    {
        if (string.IsNullOrWhiteSpace(traceHeader))
        {
            return null;
        }

        foreach (var part in traceHeader.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (part.StartsWith("Root=", StringComparison.Ordinal))
            {
                return part["Root=".Length..];
            }
        }

        return traceHeader.Contains('=', StringComparison.Ordinal) ? null : traceHeader;
    }
}
