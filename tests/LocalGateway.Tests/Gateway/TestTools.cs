using System.ComponentModel;
using System.Diagnostics;
using SocketRelay.TestSupport;

namespace SocketRelay.LocalGateway.Tests.Gateway;

/// <summary>What a command-line tool printed and how it exited.</summary>
internal sealed record ToolRun(int ExitCode, string Output, string Error);

/// <summary>
/// The real command-line clients the tests drive: the npm tools pinned in tests/tools (wscat, AWS's SDK for
/// JavaScript v3; installed with <c>npm ci</c> on first use) and programs of the machine image (<c>aws</c>,
/// <c>curl</c>). A missing program fails the test, naming it: nothing is skipped silently.
/// </summary>
internal static class TestTools
{
    private static readonly SemaphoreSlim InstallGate = new(1, 1);

    public static string ToolsDirectory { get; } = RepositoryRoot.Combine("tests", "tools");

    /// <summary>Installs tests/tools from its lock file unless every pinned tool is already there.</summary>
    public static async Task EnsureNpmToolsAsync()
    {
        string[] markers =
        [
            Path.Combine(ToolsDirectory, "node_modules", "wscat", "bin", "wscat"),
            Path.Combine(ToolsDirectory, "node_modules", "@aws-sdk", "client-apigatewaymanagementapi", "package.json"),
        ];
        await InstallGate.WaitAsync();
        try
        {
            if (!markers.All(File.Exists))
            {
                var install = await RunAsync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], ToolsDirectory);
                Assert.True(install.ExitCode == 0, $"npm ci in tests/tools failed: {install.Error}");
            }
        }
        finally
        {
            InstallGate.Release();
        }
    }

    /// <summary>
    /// Runs <paramref name="command"/> to completion (3 minutes at most). <paramref name="holdStdinOpen"/> keeps its
    /// standard input open, as a terminal would; <paramref name="environment"/> entries are set (null removes one).
    /// </summary>
    public static async Task<ToolRun> RunAsync(
        string command, IEnumerable<string> arguments, string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null, bool holdStdinOpen = false)
    {
        var start = new ProcessStartInfo(command)
        {
            WorkingDirectory = workingDirectory ?? ToolsDirectory,
            RedirectStandardInput = holdStdinOpen,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["NO_UPDATE_NOTIFIER"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[name] = value;
        }

        try
        {
            var run = await ChildProcess.RunAsync(start, TimeSpan.FromMinutes(3));
            return new ToolRun(run.ExitCode, run.Output, run.Error);
        }
        catch (Win32Exception exception)
        {
            throw new InvalidOperationException(
                $"'{command}' could not be started ({exception.Message}): this test needs it on PATH (node/npm, curl and the AWS CLI come with the machine image)", exception);
        }
    }
}
