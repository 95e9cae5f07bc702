using System.Diagnostics;
using System.Text;

namespace SocketRelay.Deployment.Tests.Support;

/// <summary>Runs a command to completion, optionally feeding it standard input, and fails loudly with its output.</summary>
public static class ChildProcess
{
    public static async Task<string> RunAsync(
        string command,
        IEnumerable<string> arguments,
        string workingDirectory,
        IReadOnlyDictionary<string, string?>? environment = null,
        string? standardInput = null,
        TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(command)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = standardInput is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {command}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (standardInput is not null)
        {
            // UTF-8 without a byte order mark: the reader on the other side parses the bytes as they are.
            await using (var input = new StreamWriter(process.StandardInput.BaseStream, new UTF8Encoding(false)))
            {
                await input.WriteAsync(standardInput);
            }
        }

        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Describe(command, start)} did not finish within {timeout ?? TimeSpan.FromMinutes(2)}");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{Describe(command, start)} failed with exit code {process.ExitCode}:\n{await stdout}\n{await stderr}");
        }

        return await stdout;
    }

    private static string Describe(string command, ProcessStartInfo start) =>
        $"{command} {string.Join(' ', start.ArgumentList)} (in {start.WorkingDirectory})";
}
