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

    private static readonly RunOnce<CloudFormationTemplate> Template = new(PackageAsync);

    /// <summary>The synthesized CloudFormation template, packaging it on the first call of a test run.</summary>
    public static Task<CloudFormationTemplate> GetTemplateAsync() => Template.GetAsync();

    private static async Task<CloudFormationTemplate> PackageAsync()
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
            [cli, "package", "--stage", Stage, "--region", Region],
            RepositoryLayout.DeployDirectory,
            environment,
            timeout: TimeSpan.FromMinutes(2));

        return CloudFormationTemplate.Load(RepositoryLayout.SynthesizedTemplate);
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
