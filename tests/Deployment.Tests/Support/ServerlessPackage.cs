using System.Collections.Concurrent;
using System.IO.Compression;
using System.Text;
using SocketRelay.TestSupport;

namespace SocketRelay.Deployment.Tests.Support;

/// <summary>
/// Runs the pinned Serverless CLI's <c>serverless package</c> in deploy/ once per test run and set of
/// parameters, and hands out the CloudFormation template it synthesizes. Packaging is offline: no AWS
/// account, no credentials (fake ones are set in case anything asks).
/// </summary>
public static class ServerlessPackage
{
    public const string Stage = "production";
    public const string Region = "us-east-1";

    /// <summary>The template <c>serverless package</c> writes, the one <c>serverless deploy</c> would update the stack with.</summary>
    public const string TemplateFileName = "cloudformation-template-update-stack.json";

    private static readonly ConcurrentDictionary<string, RunOnce<PackagedTemplate>> Packages = new(StringComparer.Ordinal);

    // One packaging at a time: they share deploy/ and its node_modules, and each keeps a core busy.
    private static readonly SemaphoreSlim OneAtATime = new(1, 1);

    /// <summary>
    /// The template for serverless.yml's default parameters, or with <paramref name="parameters"/>
    /// (<c>name=value</c>, each passed as <c>--param</c>), packaging it on the first call of a test run.
    /// </summary>
    public static async Task<CloudFormationTemplate> GetTemplateAsync(params string[] parameters) =>
        (await PackageAsync([.. parameters.Select(p => p.Split('=', 2)).Select(p => KeyValuePair.Create(p[0], p[1]))])).Template;

    /// <summary>
    /// The template with <paramref name="parameters"/> passed as <c>--param="name=value"</c>, packaged
    /// once per test run into its own directory under deploy/.build/packages (packaging clears its
    /// output directory first, so sets must not share one).
    /// </summary>
    public static Task<PackagedTemplate> PackageAsync(IReadOnlyList<KeyValuePair<string, string>> parameters)
    {
        var name = parameters.Count == 0 ? "default" : string.Join('-', parameters.Select(p => $"{p.Key}-{p.Value}"));
        return Packages.GetOrAdd(name, _ => new RunOnce<PackagedTemplate>(() => PackageIntoAsync(parameters, name))).GetAsync();
    }

    private static async Task<PackagedTemplate> PackageIntoAsync(IReadOnlyList<KeyValuePair<string, string>> parameters, string name)
    {
        var directory = Path.Combine(RepositoryLayout.BuildDirectory, "packages", name);
        await OneAtATime.WaitAsync();
        try
        {
            await RunPackageAsync(parameters, directory);
        }
        finally
        {
            OneAtATime.Release();
        }

        var path = Path.Combine(directory, TemplateFileName);
        return new PackagedTemplate(path, CloudFormationTemplate.Load(path));
    }

    private static async Task RunPackageAsync(IReadOnlyList<KeyValuePair<string, string>> parameters, string directory)
    {
        await NodeDependencies.EnsureInstalledAsync();
        EnsureFunctionArtifact();

        var environment = new Dictionary<string, string?>(NodeDependencies.QuietNodeEnvironment)
        {
            ["AWS_ACCESS_KEY_ID"] = "AKIAIOSFODNN7EXAMPLE",
            ["AWS_SECRET_ACCESS_KEY"] = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            ["AWS_SESSION_TOKEN"] = null,
            ["AWS_PROFILE"] = null,
            ["AWS_REGION"] = Region,
            ["AWS_DEFAULT_REGION"] = Region,
        };
        var cli = Path.Combine(RepositoryLayout.NodeModules, "osls", "bin", "serverless.js");
        await ChildProcess.RunAsync(
            "node",
            [cli, "package", "--stage", Stage, "--region", Region, "--package", directory, .. parameters.Select(p => $"--param={p.Key}={p.Value}")],
            RepositoryLayout.DeployDirectory,
            environment,
            timeout: TimeSpan.FromMinutes(2));
    }

    /// <summary>
    /// Packaging only references the artifact, so when no real build exists a stand-in keeps this
    /// test from needing an AOT publish. The stand-in's bootstrap refuses to run, so a stack
    /// deployed from it by mistake fails at its first start instead of silently doing nothing;
    /// <c>npm run package</c> and <c>npm run deploy</c> always build the real one first.
    /// </summary>
    private static void EnsureFunctionArtifact()
    {
        if (File.Exists(RepositoryLayout.FunctionArtifact))
        {
            return;
        }

        Directory.CreateDirectory(RepositoryLayout.BuildDirectory);
        var temporary = RepositoryLayout.FunctionArtifact + ".tmp";
        using (var archive = ZipFile.Open(temporary, ZipArchiveMode.Create))
        {
            var entry = archive.CreateEntry("bootstrap");
            entry.ExternalAttributes = Convert.ToInt32("100755", 8) << 16;
            using var writer = new StreamWriter(entry.Open(), new UTF8Encoding(false));
            writer.Write("#!/bin/sh\necho 'placeholder artifact: run npm run build in deploy/' >&2\nexit 1\n");
        }

        File.Move(temporary, RepositoryLayout.FunctionArtifact, overwrite: true);
    }
}

/// <param name="Path">The template file, for tools that read it themselves.</param>
public sealed record PackagedTemplate(string Path, CloudFormationTemplate Template);
