using System.Diagnostics;
using System.Text.RegularExpressions;
using SocketRelay.TestSupport;

namespace SocketRelay.LocalGateway.Tests.Gateway;

/// <summary>The real <c>wscat</c> (pinned in tests/tools/package.json, installed on first use) against a running gateway.</summary>
public partial class WscatTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private static readonly SemaphoreSlim InstallGate = new(1, 1);

    [Fact]
    public async Task The_seed_wscat_transcript_works_against_the_local_gateway()
    {
        var wscat = await EnsureWscatAsync();

        var output = await RunAsync(
            "node",
            [wscat, "-c", fixture.Gateway.WebSocketUrl.ToString().TrimEnd('/'), "-x", "{\"MessageGroupId\": \"test\", \"data\": \"hello world\"}", "-w", "5"],
            workingDirectory: ToolsDirectory,
            holdStdinOpen: true);

        Assert.Matches(SeedReply(), output.Trim());
    }

    [GeneratedRegex("""^\{"connectionId":"[A-Za-z0-9+/=]{16,}","requestId":"[A-Za-z0-9+/=]{16,}","message":"\{\\"MessageGroupId\\":\\"test\\",\\"data\\":\\"hello world\\"\}"\}$""")]
    private static partial Regex SeedReply();

    private static string ToolsDirectory { get; } = RepositoryRoot.Combine("tests", "tools");

    private static async Task<string> EnsureWscatAsync()
    {
        var script = Path.Combine(ToolsDirectory, "node_modules", "wscat", "bin", "wscat");
        await InstallGate.WaitAsync();
        try
        {
            if (!File.Exists(script))
            {
                await RunAsync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], ToolsDirectory, holdStdinOpen: false);
            }
        }
        finally
        {
            InstallGate.Release();
        }

        return script;
    }

    /// <summary>
    /// wscat quits when its standard input ends, so the test keeps it open, as a terminal would,
    /// while <c>-x</c> sends the frame once connected.
    /// </summary>
    private static async Task<string> RunAsync(string command, string[] arguments, string workingDirectory, bool holdStdinOpen)
    {
        var start = new ProcessStartInfo(command)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = holdStdinOpen,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["NO_UPDATE_NOTIFIER"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{command} {string.Join(' ', arguments)} did not finish");
        }

        Assert.True(process.ExitCode == 0, $"{command} exited {process.ExitCode}: {await stderr}");
        return await stdout;
    }
}
