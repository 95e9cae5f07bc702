using System.Collections.Concurrent;

namespace SocketRelay.Infrastructure.LambdaRuntime;

/// <summary>
/// The environment variables of one execution environment, which the runtime loop updates per invocation
/// (<c>_X_AMZN_TRACE_ID</c>). In Lambda they are the process's (<see cref="Process"/>); the local gateway runs
/// several in-process environments in one process, so each has its own set (<see cref="Of"/>) and one
/// environment's trace id never shows in another's.
/// </summary>
public sealed class ExecutionEnvironmentVariables
{
    private readonly Func<string, string?> _get;
    private readonly Action<string, string?> _set;

    private ExecutionEnvironmentVariables(Func<string, string?> get, Action<string, string?> set)
    {
        _get = get;
        _set = set;
    }

    /// <summary>The process's own environment, as in Lambda (one environment per process).</summary>
    public static ExecutionEnvironmentVariables Process { get; } = new(Environment.GetEnvironmentVariable, Environment.SetEnvironmentVariable);

    /// <summary>One environment's own variables, held in <paramref name="variables"/> (name → value; a <c>null</c> value is unset).</summary>
    public static ExecutionEnvironmentVariables Of(ConcurrentDictionary<string, string?> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        return new(name => variables.TryGetValue(name, out var value) ? value : null, (name, value) => variables[name] = value);
    }

    public string? Get(string name) => _get(name);

    public void Set(string name, string? value) => _set(name, value);
}
