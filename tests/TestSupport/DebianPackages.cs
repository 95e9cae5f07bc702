using System.Diagnostics;

namespace SocketRelay.TestSupport;

/// <summary>
/// Debian packages some tests need (Chromium for the console's browser tests; autoconf, automake and
/// libtool to build AWS's Node.js runtime interface client), installed with <c>apt-get</c> on first use,
/// as the tests install their npm packages: <c>dotnet test</c> on a fresh Debian machine needs nothing
/// installed by hand. Only a missing command is installed; when that is impossible (no <c>apt-get</c>, not
/// root) the test fails with the command to run, and is never skipped.
/// </summary>
public static class DebianPackages
{
    private static readonly SemaphoreSlim Gate = new(1, 1);

    /// <summary>
    /// Installs the package of every <paramref name="tools"/> entry whose command is missing, in one
    /// <c>apt-get install</c> (waiting up to 10 minutes for another apt to finish, 20 minutes per step in all).
    /// </summary>
    /// <param name="tools">
    /// A command and the Debian package that provides it: a name looked up on PATH, e.g. <c>("autoreconf", "autoconf")</c>,
    /// or the absolute path the test runs, e.g. <c>("/usr/bin/chromium", "chromium")</c>.
    /// </param>
    /// <exception cref="InvalidOperationException">
    /// A package could not be installed: the message names the packages and, when this process cannot run apt-get,
    /// the command that installs them.
    /// </exception>
    public static async Task EnsureAsync(params (string Command, string Package)[] tools)
    {
        ArgumentNullException.ThrowIfNull(tools);
        await Gate.WaitAsync();
        try
        {
            var missing = tools.Where(tool => !Present(tool.Command)).Select(tool => tool.Package).Distinct().ToArray();
            if (missing.Length == 0)
            {
                return;
            }

            var command = $"apt-get install -y {string.Join(' ', missing)}";
            if (!Present("apt-get") || !Environment.IsPrivilegedProcess)
            {
                throw new InvalidOperationException(
                    $"These tests need the Debian packages {string.Join(", ", missing)}, which this process cannot install " +
                    $"(it needs apt-get and root). Run: sudo apt-get update && sudo {command}");
            }

            await AptGetAsync("update", "-qq");
            await AptGetAsync(["install", "-y", "-qq", .. missing]);
            var stillMissing = tools.Where(tool => !Present(tool.Command)).Select(tool => tool.Command).ToArray();
            if (stillMissing.Length > 0)
            {
                throw new InvalidOperationException($"'{command}' succeeded but {string.Join(", ", stillMissing)} is still not on PATH.");
            }
        }
        finally
        {
            Gate.Release();
        }
    }

    private static bool Present(string command) =>
        Path.IsPathRooted(command) ? File.Exists(command) : RequiredTool.Find(command) is not null;

    /// <summary>
    /// Runs apt-get, retrying for up to 10 minutes while another apt holds a lock: <c>DPkg::Lock::Timeout</c>
    /// makes an install wait for dpkg's lock, but <c>update</c> fails at once on the package lists' lock.
    /// </summary>
    private static async Task AptGetAsync(params string[] arguments)
    {
        var giveUpAt = DateTime.UtcNow + TimeSpan.FromMinutes(10);
        while (true)
        {
            var (exitCode, output) = await RunAptGetAsync(arguments);
            if (exitCode == 0)
            {
                return;
            }

            if (!output.Contains("Could not get lock", StringComparison.Ordinal) || DateTime.UtcNow > giveUpAt)
            {
                throw new InvalidOperationException($"apt-get {string.Join(' ', arguments)} exited {exitCode}: {output}");
            }

            await Task.Delay(TimeSpan.FromSeconds(5));
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAptGetAsync(string[] arguments)
    {
        var start = new ProcessStartInfo("apt-get");
        start.ArgumentList.Add("-o");
        start.ArgumentList.Add("DPkg::Lock::Timeout=600");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        var apt = await ChildProcess.RunAsync(start, TimeSpan.FromMinutes(20));
        return (apt.ExitCode, apt.Error + apt.Output);
    }
}
