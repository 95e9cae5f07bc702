using System.ComponentModel;

namespace SocketRelay.Deployment.Tests.Support;

/// <summary>
/// AWS's CloudFormation linter (<c>cfn-lint</c>, from the machine, on PATH) run on a synthesized
/// template. A template is clean when cfn-lint exits 0: no error, no warning, no informational finding.
/// It reads a private copy: another packaging may be rewriting deploy/.serverless meanwhile.
/// </summary>
public static class CfnLint
{
    /// <summary>Returns normally when the template is clean; otherwise fails with cfn-lint's findings.</summary>
    public static async Task AssertCleanAsync(CloudFormationTemplate template)
    {
        ArgumentNullException.ThrowIfNull(template);
        var copy = Path.Combine(Path.GetTempPath(), $"socketrelay-template-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(copy, template.Text);
        try
        {
            await ChildProcess.RunAsync("cfn-lint", ["--format", "parseable", copy], RepositoryLayout.DeployDirectory, timeout: TimeSpan.FromMinutes(3));
        }
        catch (Win32Exception ex)
        {
            Assert.Fail($"cfn-lint is needed to check the synthesized template but could not be started ({ex.Message}); install AWS's CloudFormation linter (pip install cfn-lint) so that it is on PATH");
        }
        catch (InvalidOperationException ex)
        {
            Assert.Fail($"cfn-lint found problems in the synthesized template:\n{ex.Message}");
        }
        finally
        {
            File.Delete(copy);
        }
    }
}
