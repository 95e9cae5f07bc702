using SocketRelay.TestSupport;

namespace SocketRelay.Deployment.Tests.Support;

/// <summary>
/// AWS's CloudFormation linter (<c>cfn-lint</c>, 1.x), which knows each resource's allowed values and
/// cross-resource rules such as "a queue's visibility timeout is at least its function's timeout".
/// It comes with the machine image and cannot be installed by the test: when it is missing the test
/// fails and says so.
/// </summary>
public static class CfnLint
{
    public const string Executable = "cfn-lint";

    /// <summary>Lints <paramref name="templatePath"/> for <see cref="ServerlessPackage.Region"/>; returns its findings, one per line (empty when clean).</summary>
    public static async Task<string> LintAsync(string templatePath)
    {
        var executable = Locate();
        try
        {
            await ChildProcess.RunAsync(
                executable,
                ["--format", "parseable", "--regions", ServerlessPackage.Region, "--", templatePath],
                RepositoryLayout.DeployDirectory,
                timeout: TimeSpan.FromMinutes(3));
            return "";
        }
        catch (InvalidOperationException failure) when (failure.Message.Contains("exit code", StringComparison.Ordinal))
        {
            // cfn-lint exits non-zero when it finds anything (2 errors, 4 warnings, 8 informational).
            return failure.Message;
        }
    }

    /// <summary>Fails with cfn-lint's findings unless <paramref name="template"/> lints clean (no error, warning or informational finding).</summary>
    public static async Task AssertCleanAsync(CloudFormationTemplate template)
    {
        ArgumentNullException.ThrowIfNull(template);
        // A private copy: another packaging may be rewriting the folder the template came from.
        var copy = Path.Combine(Path.GetTempPath(), $"socketrelay-template-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(copy, template.Text);
        try
        {
            var findings = await LintAsync(copy);
            Assert.True(findings.Length == 0, $"cfn-lint found problems in the synthesized template:\n{findings}");
        }
        finally
        {
            File.Delete(copy);
        }
    }

    /// <summary>The <c>cfn-lint</c> executable on <paramref name="searchPath"/> (a PATH value; default: this process's PATH).</summary>
    /// <exception cref="InvalidOperationException">It is not there; the message names the missing tool.</exception>
    public static string Locate(string? searchPath = null) => RequiredTool.Locate(
        Executable,
        "The deployment tests lint the synthesized template with AWS's CloudFormation linter " +
        "(Python package cfn-lint 1.x); install it or run them on the machine image that has it.",
        searchPath);
}
