using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace SocketRelay.LocalGateway.Lambda;

/// <summary>
/// The function as a published <c>bootstrap</c> (e.g. the Native AOT build) in child processes,
/// one per execution environment, each started with the Lambda environment and
/// <c>AWS_LAMBDA_RUNTIME_API</c>. Their JSON log lines are copied to the gateway's output; a process
/// that exits is started again after a pause, as Lambda replaces a failed environment.
/// </summary>
public sealed partial class ChildProcessFunctionHost : IFunctionHost
{
    private static readonly TimeSpan RestartPause = TimeSpan.FromSeconds(1);

    private readonly string _binary;
    private readonly Dictionary<string, string?> _environment;
    private readonly TextWriter _logOutput;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _supervisors = [];
    private readonly Lock _processesLock = new();
    private readonly HashSet<Process> _processes = [];

    private ChildProcessFunctionHost(string binary, Dictionary<string, string?> environment, TextWriter logOutput, ILogger logger)
    {
        _binary = binary;
        _environment = environment;
        _logOutput = logOutput;
        _logger = logger;
    }

    public string Description => $"child processes of {_binary} ({_supervisors.Count} execution environments)";

    /// <exception cref="FileNotFoundException">The binary does not exist.</exception>
    public static ChildProcessFunctionHost Start(
        string binary, int instances, string runtimeApi, IReadOnlyDictionary<string, string?> environment, TextWriter logOutput, ILogger logger)
    {
        var path = Path.GetFullPath(binary);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"--function-binary: no file at {path}; publish one with: dotnet publish src/Lambda -c Release -r linux-x64 -o artifacts/lambda", path);
        }

        var host = new ChildProcessFunctionHost(path, new(environment) { ["AWS_LAMBDA_RUNTIME_API"] = runtimeApi }, logOutput, logger);
        for (var i = 0; i < instances; i++)
        {
            host._supervisors.Add(Task.Run(() => host.SuperviseAsync(host._stopping.Token)));
        }

        return host;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        lock (_processesLock)
        {
            foreach (var process in _processes)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        await Task.WhenAll(_supervisors).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stopping.Dispose();
    }

    private async Task SuperviseAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            using var process = StartProcess();
            try
            {
                await process.WaitForExitAsync(stopping);
                LogExited(process.ExitCode);
                await Task.Delay(RestartPause, stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            finally
            {
                lock (_processesLock)
                {
                    _processes.Remove(process);
                }
            }
        }
    }

    private Process StartProcess()
    {
        var start = new ProcessStartInfo(_binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (name, value) in _environment)
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => WriteLine(e.Data);
        process.ErrorDataReceived += (_, e) => WriteLine(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        lock (_processesLock)
        {
            _processes.Add(process);
        }

        return process;
    }

    private void WriteLine(string? line)
    {
        if (line is not null)
        {
            lock (_logOutput)
            {
                _logOutput.WriteLine(line);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Function process exited with code {exitCode}; starting another")]
    private partial void LogExited(int exitCode);
}
