using System.Collections.Concurrent;
using System.Diagnostics;

namespace SocketRelay.Lambda.Tests.Support;

/// <summary>A published <c>bootstrap</c> running as Lambda would run it, with its stdout lines captured.</summary>
public sealed class BootstrapProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly ConcurrentQueue<string> _stderr = new();

    private BootstrapProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { _stdout.Enqueue(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { _stderr.Enqueue(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public IReadOnlyList<string> StandardOutput => [.. _stdout];

    public IReadOnlyList<string> StandardError => [.. _stderr];

    public static BootstrapProcess Start(string binary, IReadOnlyDictionary<string, string?> environment)
    {
        var start = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("AWS_", StringComparison.Ordinal) || k.StartsWith("SOCKETRELAY_", StringComparison.Ordinal) || k.StartsWith("POWERTOOLS_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return new BootstrapProcess(Process.Start(start)!);
    }

    /// <summary>The Lambda environment for a function answering on <paramref name="endpoint"/>.</summary>
    public static Dictionary<string, string?> LambdaEnvironment(string runtimeApi, Uri? endpoint) => new()
    {
        ["AWS_LAMBDA_RUNTIME_API"] = runtimeApi,
        ["WEBSOCKET_API_ENDPOINT"] = endpoint?.ToString(),
        ["AWS_REGION"] = "us-east-1",
        ["AWS_ACCESS_KEY_ID"] = "AKIDEXAMPLE",
        ["AWS_SECRET_ACCESS_KEY"] = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        ["AWS_SESSION_TOKEN"] = "session-token",
        ["AWS_LAMBDA_FUNCTION_NAME"] = "socketrelay",
        ["AWS_LAMBDA_FUNCTION_VERSION"] = "$LATEST",
        ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = "256",
        ["POWERTOOLS_SERVICE_NAME"] = "socketrelay-test",
        ["SOCKETRELAY_RETRY_BASE_DELAY_MS"] = "10",
        ["SOCKETRELAY_RETRY_MAX_DELAY_MS"] = "40",
        ["SOCKETRELAY_RETRY_ATTEMPT_TIMEOUT_MS"] = "5000",
        ["SOCKETRELAY_DEADLINE_MARGIN_MS"] = "1000",
    };

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        await _process.WaitForExitAsync().WaitAsync(timeout);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
