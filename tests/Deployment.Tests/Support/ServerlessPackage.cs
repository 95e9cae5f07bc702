using System.IO.Compression;
using System.Text;
using SocketRelay.TestSupport;

namespace SocketRelay.Deployment.Tests.Support;

/// <summary>
/// Runs the pinned Serverless CLI's <c>serverless package</c> in deploy/ once per test run and
/// hands out the CloudFormation template it synthesizes. Packaging is offline: no AWS account, no
/// credentials (fake ones are set in case anything asks).
/// </summary>
public static class ServerlessPackage
{
    public const string Stage = "production";
    public const string Region = "us-east-1";

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static readonly Dictionary<string, CloudFormationTemplate> Templates = [];

    /// <summary>The template of the default parameters, written to deploy/.serverless.</summary>
    public static Task<CloudFormationTemplate> GetTemplateAsync() => GetTemplateAsync([]);

    /// <summary>
    /// The template synthesized with <paramref name="parameters"/> (<c>name=value</c>, each passed
    /// as <c>--param</c>); other than the default one, written to its own folder under deploy/.build.
    /// </summary>
    public static async Task<CloudFormationTemplate> GetTemplateAsync(params string[] parameters)
    {
        var key = string.Join('&', parameters);
        await Gate.WaitAsync();
        try
        {
            if (!Templates.TryGetValue(key, out var template))
            {
                template = await PackageAsync(parameters);
                Templates.Add(key, template);
            }

            return template;
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task<CloudFormationTemplate> PackageAsync(string[] parameters)
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
        List<string> arguments = [cli, "package", "--stage", Stage, "--region", Region];
        var template = RepositoryLayout.SynthesizedTemplate;
        if (parameters.Length > 0)
        {
            var folder = Path.Combine(RepositoryLayout.BuildDirectory, "package-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('&', parameters))))[..12]);
            arguments.AddRange(["--package", folder]);
            arguments.AddRange(parameters.Select(parameter => "--param=" + parameter));
            template = Path.Combine(folder, Path.GetFileName(RepositoryLayout.SynthesizedTemplate));
        }

        await ChildProcess.RunAsync("node", arguments, RepositoryLayout.DeployDirectory, environment, timeout: TimeSpan.FromMinutes(2));
        return CloudFormationTemplate.Load(template);
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
