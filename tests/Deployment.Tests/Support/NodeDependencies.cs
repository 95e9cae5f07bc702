namespace SocketRelay.Deployment.Tests.Support;

/// <summary>
/// Makes sure deploy/node_modules holds what deploy/package-lock.json pins, running <c>npm ci</c>
/// at most once. A file lock keeps concurrent test classes and test processes from installing
/// over each other.
/// </summary>
public static class NodeDependencies
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static bool _installed;

    /// <summary>npm writes this file last, so its presence means a complete install.</summary>
    private static string InstallMarker => Path.Combine(RepositoryLayout.NodeModules, ".package-lock.json");

    public static async Task EnsureInstalledAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_installed)
            {
                return;
            }

            Directory.CreateDirectory(RepositoryLayout.BuildDirectory);
            using (await AcquireFileLockAsync(Path.Combine(RepositoryLayout.BuildDirectory, "npm-ci.lock")))
            {
                if (!File.Exists(InstallMarker))
                {
                    await ChildProcess.RunAsync(
                        "npm",
                        ["ci", "--no-audit", "--no-fund", "--loglevel=error"],
                        RepositoryLayout.DeployDirectory,
                        QuietNodeEnvironment,
                        timeout: TimeSpan.FromMinutes(3));
                }
            }

            _installed = true;
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>No update notices, no telemetry, no prompts: CI output stays about the tests.</summary>
    public static IReadOnlyDictionary<string, string?> QuietNodeEnvironment { get; } = new Dictionary<string, string?>
    {
        ["NO_UPDATE_NOTIFIER"] = "1",
        ["npm_config_update_notifier"] = "false",
        ["SLS_TELEMETRY_DISABLED"] = "1",
        ["SLS_TRACKING_DISABLED"] = "1",
        ["SLS_NOTIFICATIONS_MODE"] = "off",
        ["SLS_INTERACTIVE_SETUP_DISABLE"] = "1",
        ["CI"] = "1",
    };

    private static async Task<FileStream> AcquireFileLockAsync(string path)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(4);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(250);
            }
        }
    }
}
