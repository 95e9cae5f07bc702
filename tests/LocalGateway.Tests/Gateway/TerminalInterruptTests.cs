using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.RegularExpressions;
using SocketRelay.LocalGateway.Lambda;
using SocketRelay.LocalGateway.Queue;
using SocketRelay.TestSupport;

namespace SocketRelay.LocalGateway.Tests.Gateway;

/// <summary>
/// Ctrl+C at the terminal of a gateway that runs its function with <c>--function-binary</c>: the terminal sends
/// SIGINT to its whole foreground process group, and only the gateway may get it (ADR-031), so the batch in flight
/// is still answered (ADR-029). The gateway executable runs here as the leader of a process group of its own, as a
/// shell's foreground job is, and the group is sent SIGINT as a terminal sends it. And SIGTERM, as a service
/// manager or <c>docker stop</c> sends it, to a gateway with nothing in flight: every stop ends with one line.
/// </summary>
public sealed partial class TerminalInterruptTests : IDisposable
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "socketrelay-sigint-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dataDir))
        {
            Directory.Delete(_dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task Ctrl_C_to_the_gateways_process_group_lets_the_function_process_answer_the_batch_in_flight()
    {
        var setsid = ChildProcessFunctionHost.SessionLauncher
            ?? throw new InvalidOperationException("util-linux's setsid is not on PATH (Debian: util-linux)");
        using var function = new ScriptedFunction("", sleepSeconds: 3);
        using var gateway = GatewayProcess.Start(
            setsid,
            // A shell's background job, or a CI runner, may have left SIGINT ignored, and an ignored signal stays
            // ignored across exec: env resets it, as a terminal's foreground job has it.
            "env", "--default-signal=INT",
            DotnetHost, GatewayDll, "--port", "0", "--data-dir", _dataDir, "--pollers", "1", "--function-binary", function.Bootstrap);
        string Output() => gateway.Output;

        try
        {
            // setsid ran the gateway in its own process: it leads a new group, which the test can signal as a terminal does.
            var url = await gateway.BannerUrlAsync();
            using var socket = new ClientWebSocket();
            await socket.ConnectAsync(url, CancellationToken.None);
            await socket.SendTextAsync("{\"MessageGroupId\": \"test\", \"data\": \"in flight at Ctrl+C\"}");
            await Eventually.ValueAsync(
                () => ScriptedFunction.Invocations(Output()) is { Count: > 0 } invocations ? invocations : null,
                TimeSpan.FromSeconds(30),
                "the Python function's first invocation");

            using (var interrupt = Process.Start("kill", ["-INT", "--", $"-{gateway.Process.Id}"]))
            {
                await interrupt.WaitForExitAsync();
                Assert.Equal(0, interrupt.ExitCode);
            }

            var buffer = new byte[4096];
            while ((await socket.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30))).MessageType != WebSocketMessageType.Close)
            {
            }

            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
            await gateway.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            gateway.Stop();
        }

        // The function was three seconds into the batch when the interrupt came: it was not interrupted with the
        // gateway, so its answer was taken and the message deleted, not left for the next start.
        using var queue = SqliteFifoQueue.Open(new SqliteQueueOptions { DataDirectory = _dataDir }, TimeProvider.System);
        var stats = await queue.GetStatsAsync(CancellationToken.None);
        Assert.True((stats.Accepted, stats.Completed) == (1L, 1L), $"accepted {stats.Accepted}, completed {stats.Completed}:\n{Output()}");
        Assert.True(gateway.Process.ExitCode == 0, $"exit code {gateway.Process.ExitCode}:\n{Output()}");
        Assert.DoesNotContain("KeyboardInterrupt", Output(), StringComparison.Ordinal);
        Assert.Contains("Stopped: accepted 1, completed 1, queue depth 0, in flight 0, dead letters 0", Output(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SIGTERM_to_an_idle_gateway_stops_it_with_exit_code_0_and_a_last_line_of_the_queues_counters()
    {
        using var gateway = GatewayProcess.Start(DotnetHost, GatewayDll, "--port", "0", "--data-dir", _dataDir, "--pollers", "1");
        string Output() => gateway.Output;

        try
        {
            var url = await gateway.BannerUrlAsync();
            using (var socket = new ClientWebSocket())
            {
                await socket.ConnectAsync(url, CancellationToken.None);
                await socket.SendTextAsync("{\"MessageGroupId\": \"test\", \"data\": \"answered before the stop\"}");
                var reply = await socket.ReceiveTextAsync(TimeSpan.FromSeconds(30));
                Assert.Contains("answered before the stop", reply, StringComparison.Ordinal);
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
            }

            // The reply goes out before the delete commits: the stop comes once the queue says it is done.
            using var http = new HttpClient();
            var status = new Uri(new UriBuilder(url) { Scheme = "http" }.Uri, "/_local/status");
            await Eventually.ReadUntilAsync(
                () => http.GetStringAsync(status), json => json.Contains("\"completed\":1", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "the message's delete");

            using (var terminate = Process.Start("kill", ["-TERM", gateway.Process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await terminate.WaitForExitAsync();
                Assert.Equal(0, terminate.ExitCode);
            }

            await gateway.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            gateway.Stop();
        }

        Assert.True(gateway.Process.ExitCode == 0, $"exit code {gateway.Process.ExitCode}:\n{Output()}");
        var lines = Output().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(
            lines[^1].EndsWith("Stopped: accepted 1, completed 1, queue depth 0, in flight 0, dead letters 0 (the counters of /_local/status)", StringComparison.Ordinal),
            $"the last line:\n{Output()}");
    }

    private static string DotnetHost => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    private static string GatewayDll => Path.Combine(AppContext.BaseDirectory, "SocketRelay.LocalGateway.dll");

    /// <summary>The gateway executable (or a launcher of it) as a child process, its standard output and error read into one text.</summary>
    private sealed class GatewayProcess : IDisposable
    {
        private readonly StringBuilder _output = new();

        private GatewayProcess(Process process) => Process = process;

        public Process Process { get; }

        public string Output
        {
            get
            {
                lock (_output)
                {
                    return _output.ToString();
                }
            }
        }

        public static GatewayProcess Start(string fileName, params string[] arguments)
        {
            var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            var gateway = new GatewayProcess(new Process { StartInfo = start });
            gateway.Process.OutputDataReceived += (_, e) => gateway.Append(e.Data);
            gateway.Process.ErrorDataReceived += (_, e) => gateway.Append(e.Data);
            gateway.Process.Start();
            gateway.Process.BeginOutputReadLine();
            gateway.Process.BeginErrorReadLine();
            return gateway;
        }

        /// <summary>The WebSocket URL the banner prints, once it has.</summary>
        public Task<Uri> BannerUrlAsync() => Eventually.ValueAsync(
            () => WebSocketUrl().Match(Output) is { Success: true } match ? new Uri(match.Value) : null,
            TimeSpan.FromSeconds(60),
            "the gateway's banner");

        /// <summary>Kills the process and its children if the test left them running.</summary>
        public void Stop()
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
            }
        }

        public void Dispose()
        {
            Stop();
            Process.Dispose();
        }

        private void Append(string? line)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    [GeneratedRegex(@"ws://127\.0\.0\.1:\d+")]
    private static partial Regex WebSocketUrl();
}
