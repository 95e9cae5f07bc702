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
    private readonly OutputReader _output;

    private GatewayProcess(Process process, OutputReader output, Uri webSocketUrl)
    {
        _process = process;
        _output = output;
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
        var output = new OutputReader(process);
        try
        {
            return new GatewayProcess(process, output, await output.Ready.WaitAsync(TimeSpan.FromSeconds(30)));
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    /// <summary>Every line the gateway has written to standard output and standard error so far, in the order read.</summary>
    public IReadOnlyList<string> OutputLines => _output.Lines;

    /// <summary>
    /// Stops reading the gateway's standard output, as a paused pager or a stuck pipe does: once the pipe's buffer
    /// (64 KiB on Linux) is full, the gateway's writes to it block until <see cref="ResumeReadingOutput"/>.
    /// </summary>
    public void PauseReadingOutput() => _output.Pause();

    /// <summary>Reads standard output again after <see cref="PauseReadingOutput"/>.</summary>
    public void ResumeReadingOutput() => _output.Resume();

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

    /// <summary>
    /// Reads both of the child's outputs to the end (function logs go to standard output too, so the child never
    /// blocks on a full pipe unless <see cref="Pause"/> asks for exactly that), and finds the banner's address.
    /// </summary>
    private sealed class OutputReader
    {
        private readonly List<string> _lines = [];
        private readonly TaskCompletionSource<Uri> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private TaskCompletionSource _reading = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public OutputReader(Process process)
        {
            _reading.SetResult();
            _ = ReadAsync(process.StandardOutput, standardOutput: true);
            _ = ReadAsync(process.StandardError, standardOutput: false);
        }

        public Task<Uri> Ready => _ready.Task;

        public IReadOnlyList<string> Lines
        {
            get
            {
                lock (_lines)
                {
                    return [.. _lines];
                }
            }
        }

        public void Pause()
        {
            lock (_lines)
            {
                if (_reading.Task.IsCompleted)
                {
                    _reading = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }
            }
        }

        public void Resume()
        {
            lock (_lines)
            {
                _reading.TrySetResult();
            }
        }

        private async Task ReadAsync(StreamReader reader, bool standardOutput)
        {
            while (true)
            {
                if (standardOutput)
                {
                    Task reading;
                    lock (_lines)
                    {
                        reading = _reading.Task;
                    }

                    await reading;
                }

                var line = await reader.ReadLineAsync();
                if (line is null)
                {
                    if (standardOutput)
                    {
                        _ready.TrySetException(new InvalidOperationException("The gateway exited before it was ready: " + string.Join('\n', Lines.TakeLast(20))));
                    }

                    return;
                }

                lock (_lines)
                {
                    _lines.Add(line);
                }

                if (standardOutput && WebSocketLine().Match(line) is { Success: true } match)
                {
                    _ready.TrySetResult(new Uri(match.Groups[1].Value));
                }
            }
        }
    }
}
