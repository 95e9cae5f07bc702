using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace SocketRelay.LocalGateway.Lambda;

/// <summary>
/// The function as an executable (the published AOT <c>bootstrap</c>, or a script that starts any language's
/// runtime client) in child processes, one per execution environment (the first at once, each of the others when
/// an event finds every started one busy, <see cref="LocalRuntimeApi.EnvironmentWanted"/>, as Lambda adds
/// environments while concurrency rises), each started in
/// <c>LAMBDA_TASK_ROOT</c> with only the Lambda environment (<see cref="FunctionEnvironment"/>) and its own
/// <c>AWS_LAMBDA_RUNTIME_API</c> and log stream. Their output is copied to the gateway's output. As Lambda does:
/// an environment whose invocation times out is killed and replaced at once; a runtime that exits is replaced
/// (its invocation has already failed with <c>Runtime.ExitError</c>); a runtime that keeps failing before it asks
/// for an event is restarted after a pause that doubles each time, from <see cref="FirstRestartPause"/> up to
/// <see cref="MaxRestartPause"/>. Each process runs in a session of its own where the machine has util-linux's
/// <c>setsid</c> (<see cref="SessionLauncher"/>), so that a terminal's Ctrl+C reaches the gateway alone, as no signal
/// but the service's own reaches a function in Lambda (ADR-031).
/// </summary>
public sealed partial class ChildProcessFunctionHost : IFunctionHost
{
    /// <summary>The pause before the first restart of a runtime that failed to start.</summary>
    public static readonly TimeSpan FirstRestartPause = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest pause between restarts of a runtime that keeps failing to start.</summary>
    public static readonly TimeSpan MaxRestartPause = TimeSpan.FromSeconds(30);

    /// <summary>
    /// util-linux's <c>setsid</c> from <c>PATH</c>, or null where there is none (macOS, Windows). A function process
    /// is started through it: <c>setsid</c> makes its process the leader of a new session and process group and
    /// then executes the binary in that same process (same PID), so a Ctrl+C typed at the gateway's terminal, which
    /// the terminal sends to its foreground process group, does not reach the function. The gateway then stops
    /// as it does on SIGTERM: the batches in flight are answered first (ADR-029), and only then are the function
    /// processes killed. Without <c>setsid</c> the processes share the gateway's group, and a Ctrl+C ends them at
    /// once (their batches come back at the next start).
    /// </summary>
    public static readonly string? SessionLauncher = OperatingSystem.IsWindows() ? null : FindOnPath("setsid");

    private readonly string _binary;
    private readonly IReadOnlyDictionary<string, string?> _environment;
    private readonly LocalRuntimeApi _runtime;
    private readonly TextWriter _logOutput;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _supervisors = [];
    private readonly Process?[] _current;
    private readonly bool[] _timedOut;
    private readonly Lock _processesLock = new();
    private bool _disposing;

    private ChildProcessFunctionHost(string binary, IReadOnlyDictionary<string, string?> environment, LocalRuntimeApi runtime, TextWriter logOutput, ILogger logger)
    {
        _binary = binary;
        _environment = environment;
        _runtime = runtime;
        _logOutput = logOutput;
        _logger = logger;
        _current = new Process?[runtime.EnvironmentCount];
        _timedOut = new bool[runtime.EnvironmentCount];
    }

    public string Description => $"child processes of {_binary} ({FunctionEnvironment.Count(_current.Length)})";

    /// <summary>
    /// Up to one process per execution environment of <paramref name="runtime"/>: the first now, the others as
    /// events find every started one busy.
    /// </summary>
    /// <param name="binary">The executable; its folder is <c>LAMBDA_TASK_ROOT</c> and the working directory.</param>
    /// <param name="environment">The function's variables (<see cref="FunctionEnvironment.For"/>); each process also gets its Runtime API and log stream.</param>
    /// <exception cref="FileNotFoundException">The binary does not exist.</exception>
    /// <exception cref="UnauthorizedAccessException">The path is a directory, or a file without an execute permission bit.</exception>
    public static ChildProcessFunctionHost Start(
        string binary, LocalRuntimeApi runtime, IReadOnlyDictionary<string, string?> environment, TextWriter logOutput, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        var path = CheckBinary(binary);
        var host = new ChildProcessFunctionHost(path, environment, runtime, logOutput, logger);
        runtime.EnvironmentTimedOut += host.Stop;
        runtime.StartEnvironmentsOnDemand(host.StartEnvironment);
        return host;
    }

    /// <summary>Whether <paramref name="binary"/> can be run as the function.</summary>
    /// <returns>The binary's absolute path.</returns>
    /// <exception cref="FileNotFoundException">The binary does not exist.</exception>
    /// <exception cref="UnauthorizedAccessException">The path is a directory, or a file without an execute permission bit.</exception>
    private static string CheckBinary(string binary)
    {
        var path = Path.GetFullPath(binary);
        if (Directory.Exists(path))
        {
            throw new UnauthorizedAccessException($"--function-binary: {path} is a directory; give the executable in it (the published bootstrap), e.g. {Path.Combine(path, "bootstrap")}");
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"--function-binary: no file at {path}; publish one with: dotnet publish src/Lambda -c Release -r linux-x64 -o artifacts/lambda", path);
        }

        if (new FileInfo(path).LinkTarget is { } target && !File.Exists(Path.GetFullPath(target, Path.GetDirectoryName(path)!)))
        {
            throw new FileNotFoundException($"--function-binary: {path} is a symbolic link to {target}, which does not exist", path);
        }

        if (!OperatingSystem.IsWindows() && !IsExecutable(path))
        {
            throw new UnauthorizedAccessException($"--function-binary: {path} is not executable; make it so with: chmod +x {path}");
        }

        return path;
    }

    /// <summary>The folder of <paramref name="binary"/>, absolute: <c>LAMBDA_TASK_ROOT</c>.</summary>
    public static string TaskRootOf(string binary) => Path.GetDirectoryName(Path.GetFullPath(binary))!;

    public async ValueTask DisposeAsync()
    {
        _runtime.EnvironmentTimedOut -= Stop;
        _runtime.EnvironmentWanted -= StartEnvironment;
        Task[] supervisors;
        lock (_processesLock)
        {
            // Killed before the supervisors are cancelled: a cancelled supervisor forgets its process, and
            // a runtime that outlives its API (a script that keeps retrying) would run on unowned.
            _disposing = true;
            foreach (var process in _current)
            {
                Kill(process);
            }

            supervisors = [.. _supervisors];
        }

        await _stopping.CancelAsync();
        await Task.WhenAll(supervisors).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stopping.Dispose();
    }

    private void StartEnvironment(int environment)
    {
        lock (_processesLock)
        {
            if (!_disposing)
            {
                _supervisors.Add(Task.Run(() => SuperviseAsync(environment, _stopping.Token)));
            }
        }
    }

    private void Stop(int environment)
    {
        lock (_processesLock)
        {
            _timedOut[environment] = true;
            Kill(_current[environment]);
        }
    }

    private static void Kill(Process? process)
    {
        try
        {
            process?.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }

    private async Task SuperviseAsync(int environment, CancellationToken stopping)
    {
        var failedStarts = 0;
        while (!stopping.IsCancellationRequested)
        {
            _runtime.EnvironmentStarting(environment);
            Process process;
            try
            {
                process = StartProcess(environment);
            }
            catch (System.ComponentModel.Win32Exception ex)
            {
                // Not executable, or its interpreter (#!) is missing: a start that failed, as an exit would be.
                _runtime.EnvironmentExited(environment, exitCode: 126);
                failedStarts++;
                LogCannotStart(ex, environment + 1, ex.Message, RestartPause(failedStarts).TotalSeconds);
                if (!await PauseAsync(RestartPause(failedStarts), stopping))
                {
                    return;
                }

                continue;
            }

            using var _ = process;
            try
            {
                await process.WaitForExitAsync(stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            finally
            {
                lock (_processesLock)
                {
                    _current[environment] = null;
                }
            }

            bool timedOut;
            lock (_processesLock)
            {
                if (_disposing)
                {
                    return; // killed by DisposeAsync: no restart, no "exited" warning
                }

                timedOut = _timedOut[environment];
                _timedOut[environment] = false;
            }

            var initialized = _runtime.EnvironmentExited(environment, process.ExitCode);

            if (timedOut || initialized)
            {
                failedStarts = 0;
                if (!timedOut)
                {
                    LogExited(environment + 1, process.ExitCode);
                }

                continue;
            }

            failedStarts++;
            var pause = RestartPause(failedStarts);
            LogFailedToStart(environment + 1, process.ExitCode, ExitCodeMeaning(process.ExitCode), failedStarts, pause.TotalSeconds);
            if (!await PauseAsync(pause, stopping))
            {
                return;
            }
        }
    }

    private static async Task<bool> PauseAsync(TimeSpan pause, CancellationToken stopping)
    {
        try
        {
            await Task.Delay(pause, stopping);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>The pause after the <paramref name="failedStarts"/>th start in a row that failed: doubling, capped.</summary>
    public static TimeSpan RestartPause(int failedStarts) =>
        TimeSpan.FromMilliseconds(Math.Min(FirstRestartPause.TotalMilliseconds * Math.Pow(2, Math.Max(0, failedStarts - 1)), MaxRestartPause.TotalMilliseconds));

    private Process StartProcess(int environment)
    {
        var start = new ProcessStartInfo(SessionLauncher ?? _binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(_binary)!,
        };
        if (SessionLauncher is not null)
        {
            // An absolute path, so never taken for one of setsid's options. A binary that cannot be executed
            // makes setsid exit with 126 (127 when its #! interpreter is missing), which the supervisor handles
            // as any runtime that exits before it asks for an event.
            start.ArgumentList.Add(_binary);
        }

        start.Environment.Clear(); // only Lambda's variables, not the gateway's
        foreach (var (name, value) in FunctionEnvironment.ForExecutionEnvironment(_environment, _runtime.AddressOf(environment), DateTimeOffset.UtcNow))
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => WriteLine(environment, e.Data);
        process.ErrorDataReceived += (_, e) => WriteLine(environment, e.Data);
        lock (_processesLock)
        {
            if (_disposing)
            {
                throw new OperationCanceledException("the function host is stopping");
            }

            process.Start();
            _current[environment] = process;
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, program))
            .FirstOrDefault(path => File.Exists(path) && IsExecutable(path));

    /// <summary>Whether the file has any execute permission bit (user, group or other).</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static bool IsExecutable(string path) =>
        (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;

    private void WriteLine(int environment, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_logOutput)
        {
            if (_logOutput is IInvocationLogWriter attributed)
            {
                attributed.WriteLine(line, _runtime.InvocationOfOutput(environment, line));
            }
            else
            {
                _logOutput.WriteLine(line);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Function binary cannot be started for execution environment {environment}: {reason}; trying again in {pauseSeconds} s")]
    private partial void LogCannotStart(Exception exception, int environment, string reason, double pauseSeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Function process of execution environment {environment} exited with code {exitCode}; starting a fresh one")]
    private partial void LogExited(int environment, int exitCode);

    [LoggerMessage(Level = LogLevel.Error, Message = "Function process of execution environment {environment} exited with code {exitCode}{meaning} before asking for an event ({failedStarts} failed starts in a row); starting again in {pauseSeconds} s")]
    private partial void LogFailedToStart(int environment, int exitCode, string meaning, int failedStarts, double pauseSeconds);

    /// <summary>What the shell's (and <c>setsid</c>'s) exit codes for a program that could not run mean, else nothing.</summary>
    internal static string ExitCodeMeaning(int exitCode) => exitCode switch
    {
        126 => " (the binary could not be executed: check its permissions and that it is a program for this machine)",
        127 => " (the binary or the interpreter on its #! line was not found)",
        _ => "",
    };
}
