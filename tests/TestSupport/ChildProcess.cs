using System.Diagnostics;

namespace SocketRelay.TestSupport;

/// <summary>What a child process printed and how it exited.</summary>
public sealed record ChildProcessResult(int ExitCode, string Output, string Error);

/// <summary>Runs a program to completion with its output captured, for tests that drive real command-line tools.</summary>
public static class ChildProcess
{
    /// <summary>
    /// Starts <paramref name="start"/> (its standard output and error are redirected here) and waits for it to exit.
    /// </summary>
    /// <exception cref="TimeoutException">It ran longer than <paramref name="timeout"/>: it and its children were killed; the message ends with what it printed.</exception>
    /// <exception cref="System.ComponentModel.Win32Exception">The program could not be started (e.g. it is not on PATH).</exception>
    public static async Task<ChildProcessResult> RunAsync(ProcessStartInfo start, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(start);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException(
                $"{start.FileName} {string.Join(' ', start.ArgumentList)} did not finish in {timeout.TotalSeconds:F0} s: {await output}{await error}");
        }

        return new ChildProcessResult(process.ExitCode, await output, await error);
    }
}
