using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using SocketRelay.LocalGateway.Hosting;

namespace SocketRelay.Bench;

/// <summary>A server under load, run as its own process so it never shares the load generator's.</summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];
    private readonly string? _dataDir;

    private ServerProcess(string name, Process process, Uri webSocketUrl, Uri? statusUrl, string? dataDir)
    {
        Name = name;
        _process = process;
        WebSocketUrl = webSocketUrl;
        StatusUrl = statusUrl;
        _dataDir = dataDir;
    }

    public string Name { get; }

    public Uri WebSocketUrl { get; }

    /// <summary>The local gateway's <c>/_local/status</c>; null for serverless-offline.</summary>
    public Uri? StatusUrl { get; }

    public int ProcessId => _process.Id;

    /// <summary>
    /// The local gateway (a published <c>SocketRelay.LocalGateway.dll</c>) on a free loopback port with a
    /// fresh data directory. The function logs at Warning (<c>POWERTOOLS_LOG_LEVEL=Warning</c>) so that a
    /// JSON line per batch on stdout is not what is measured. <paramref name="environment"/> adds
    /// variables, e.g. <c>Gateway__DevConsole=false</c>.
    /// </summary>
    public static async Task<ServerProcess> StartGatewayAsync(
        string gatewayDll, string scratch, int pollers, string? functionBinary, IReadOnlyDictionary<string, string>? environment = null)
    {
        var port = FreePort();
        var dataDir = Path.Combine(scratch, $"gateway-{Guid.NewGuid():N}");
        var arguments = $"\"{gatewayDll}\" --port {port} --data-dir \"{dataDir}\" --pollers {pollers}";
        if (functionBinary is not null)
        {
            arguments += $" --function-binary \"{functionBinary}\"";
        }

        var start = new ProcessStartInfo("dotnet", arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.Environment["POWERTOOLS_LOG_LEVEL"] = "Warning";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var server = Launch("socketrelay-local-gateway", start, new Uri($"ws://127.0.0.1:{port}/"), new Uri($"http://127.0.0.1:{port}/_local/status"), dataDir);
        await server.WaitUntilListeningAsync(port, TimeSpan.FromSeconds(30));
        return server;
    }

    /// <summary>
    /// The ceiling: this driver re-run as a bare Kestrel WebSocket echo (<see cref="EchoServer"/>) on a
    /// free loopback port, its own process like the gateway.
    /// </summary>
    public static async Task<ServerProcess> StartEchoAsync()
    {
        var port = FreePort();
        var driver = Path.Combine(AppContext.BaseDirectory, "SocketRelay.Bench.dll");
        var start = new ProcessStartInfo("dotnet", $"\"{driver}\" {EchoServer.Switch} --port {port}") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        // The socket completion mode the gateway sets for itself (ADR-034), so the ceiling is not lower for want of it.
        start.Environment[SocketCompletions.Variable] = "1";
        var server = Launch("kestrel-echo", start, new Uri($"ws://127.0.0.1:{port}/"), null, null);
        await server.WaitUntilListeningAsync(port, TimeSpan.FromSeconds(30));
        return server;
    }

    /// <summary>
    /// serverless-offline (under the osls CLI) with the echo handler in <paramref name="projectDir"/>, in its
    /// fastest mode: <c>--useInProcess</c> runs handlers on its own event loop instead of worker threads.
    /// </summary>
    public static async Task<ServerProcess> StartServerlessOfflineAsync(string projectDir)
    {
        var port = FreePort();
        projectDir = Path.GetFullPath(projectDir);
        var cli = Path.Combine(projectDir, "node_modules", "osls", "bin", "serverless.js");
        var start = new ProcessStartInfo("node", $"\"{cli}\" offline start --host 127.0.0.1 --websocketPort {port} --httpPort {FreePort()} --lambdaPort {FreePort()} --noPrependStageInUrl --useInProcess")
        {
            WorkingDirectory = projectDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["BENCH_CONNECTIONS_ENDPOINT"] = $"http://127.0.0.1:{port}";
        start.Environment["SLS_TELEMETRY_DISABLED"] = "1";
        start.Environment["SLS_NOTIFICATIONS_MODE"] = "off";
        start.Environment["AWS_ACCESS_KEY_ID"] = "BENCH";
        start.Environment["AWS_SECRET_ACCESS_KEY"] = "bench-secret";
        var server = Launch("serverless-offline", start, new Uri($"ws://127.0.0.1:{port}/"), null, null);
        await server.WaitUntilListeningAsync(port, TimeSpan.FromSeconds(60));
        return server;
    }

    /// <summary>
    /// Waits until the gateway's queue holds nothing visible or in flight (after a step it could not keep up with).
    /// A server without a status URL gets a second instead.
    /// </summary>
    /// <returns>False when the queue still held messages after <paramref name="timeout"/>.</returns>
    public async Task<bool> WaitForDrainedAsync(HttpClient http, TimeSpan timeout)
    {
        if (StatusUrl is null)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            return true;
        }

        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            using var status = JsonDocument.Parse(await http.GetStringAsync(StatusUrl));
            if (status.RootElement.GetProperty("queueDepth").GetInt64() == 0 && status.RootElement.GetProperty("inFlight").GetInt64() == 0)
            {
                return true;
            }

            await Task.Delay(200);
        }

        return false;
    }

    /// <summary>User + system CPU time the server process has used so far (Linux: utime + stime of <c>/proc/&lt;pid&gt;/stat</c>).</summary>
    public TimeSpan CpuTime()
    {
        _process.Refresh();
        return _process.TotalProcessorTime;
    }

    /// <summary>The server process's resident set now, in MB (<c>VmRSS</c> of <c>/proc/&lt;pid&gt;/status</c>).</summary>
    public double ResidentMb()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                var kb = line["VmRSS:".Length..].Trim().Split(' ')[0];
                return double.Parse(kb, System.Globalization.CultureInfo.InvariantCulture) / 1024;
            }
        }

        throw new InvalidOperationException($"no VmRSS for process {_process.Id}");
    }

    public string RecentOutput()
    {
        lock (_output)
        {
            return string.Join(Environment.NewLine, _output.TakeLast(20));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
        if (_dataDir is not null && Directory.Exists(_dataDir))
        {
            Directory.Delete(_dataDir, recursive: true);
        }
    }

    private static ServerProcess Launch(string name, ProcessStartInfo start, Uri webSocketUrl, Uri? statusUrl, string? dataDir)
    {
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {name}");
        var server = new ServerProcess(name, process, webSocketUrl, statusUrl, dataDir);
        process.OutputDataReceived += (_, line) => server.Keep(line.Data);
        process.ErrorDataReceived += (_, line) => server.Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Add(line);
            if (_output.Count > 200)
            {
                _output.RemoveRange(0, 100);
            }
        }
    }

    private async Task WaitUntilListeningAsync(int port, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with {_process.ExitCode} before listening:{Environment.NewLine}{RecentOutput()}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                await Task.Delay(StatusUrl is null ? 1000 : 200); // let the rest of the pipeline (pollers, function) come up
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        throw new TimeoutException($"{Name} did not listen on {port} within {timeout.TotalSeconds} s:{Environment.NewLine}{RecentOutput()}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
