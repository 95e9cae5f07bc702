using System.Diagnostics;
using System.Text.RegularExpressions;

namespace SocketRelay.TestSupport;

/// <summary>
/// The real gateway executable (<c>dotnet SocketRelay.LocalGateway.dll</c>, copied next to the test
/// assembly by its project reference) as a child process on a free loopback port, so a test can
/// kill it with SIGKILL.
/// </summary>
public sealed partial class GatewayProcess : IDisposable
{
    private readonly Process _process;

    private GatewayProcess(Process process, Uri webSocketUrl)
    {
        _process = process;
        WebSocketUrl = webSocketUrl;
        HttpUrl = new UriBuilder(webSocketUrl) { Scheme = "http" }.Uri;
    }

    /// <summary>The gateway's operating-system process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>The WebSocket API address the banner printed, e.g. <c>ws://127.0.0.1:41234/</c>.</summary>
    public Uri WebSocketUrl { get; }

    /// <summary>The same port over HTTP, for <c>/_local/status</c> and <c>@connections</c>.</summary>
    public Uri HttpUrl { get; }

    /// <summary>
    /// The <c>dotnet</c> host that runs the tests (<c>DOTNET_HOST_PATH</c> when the test host sets it),
    /// so a child runs on the same runtime.
    /// </summary>
    public static string DotnetHost =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    /// <summary>
    /// Starts the gateway with <c>--port 0 --data-dir <paramref name="dataDir"/></c> and then
    /// <paramref name="options"/>, and returns once its banner names the WebSocket address.
    /// </summary>
    /// <exception cref="InvalidOperationException">The gateway exited first; the message holds its last output lines.</exception>
    /// <exception cref="TimeoutException">No banner within 30 s.</exception>
    public static async Task<GatewayProcess> StartAsync(string dataDir, params string[] options)
    {
        var start = new ProcessStartInfo(DotnetHost)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { GatewayAssembly(), "--port", "0", "--data-dir", dataDir }.Concat(options))
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        var ready = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var lines = new List<string>();
        // Function logs go to standard output too: it is read to the end so the child never blocks on a full pipe.
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                ready.TrySetException(new InvalidOperationException("The gateway exited before it was ready: " + string.Join('\n', lines.TakeLast(20))));
                return;
            }

            lock (lines)
            {
                lines.Add(e.Data);
            }

            if (WebSocketLine().Match(e.Data) is { Success: true } match)
            {
                ready.TrySetResult(new Uri(match.Groups[1].Value));
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (lines)
                {
                    lines.Add(e.Data);
                }
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            return new GatewayProcess(process, await ready.Task.WaitAsync(TimeSpan.FromSeconds(30)));
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    /// <summary>SIGKILL: no shutdown code runs, exactly like a crash or <c>kill -9</c>.</summary>
    public void KillHard()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            KillHard();
        }

        _process.Dispose();
    }

    [GeneratedRegex(@"WebSocket API\s+(ws://\S+)")]
    private static partial Regex WebSocketLine();

    private static string GatewayAssembly() =>
        Path.Combine(AppContext.BaseDirectory, "SocketRelay.LocalGateway.dll");
}
