using System.Globalization;
using SocketRelay.Deployment.Tests.Support;

namespace SocketRelay.Deployment.Tests.Template;

/// <summary>
/// The synthesized stack passes AWS's CloudFormation linter for the default parameters and for
/// changed ones, so a parameter a user sets cannot produce a stack CloudFormation or Lambda refuses.
/// </summary>
public sealed class LintTests
{
    public static TheoryData<string> ParameterSets => new() { "", "maxReceiveCount=3", "functionTimeout=200", "functionTimeout=900" };

    [Theory]
    [MemberData(nameof(ParameterSets))]
    public async Task The_template_lints_clean(string parameters)
    {
        var packaged = await ServerlessPackage.PackageAsync(Parse(parameters));

        var findings = await CfnLint.LintAsync(packaged.Path);

        Assert.True(findings.Length == 0, $"cfn-lint found problems in the template for '{parameters}':\n{findings}");
    }

    [Theory]
    [InlineData(30, 180)]
    [InlineData(200, 1200)]
    [InlineData(900, 5400)]
    public async Task The_queue_hides_a_message_for_six_function_timeouts(int functionTimeout, int visibilityTimeout)
    {
        var template = (await ServerlessPackage.PackageAsync(Parse(functionTimeout == 30 ? "" : $"functionTimeout={functionTimeout}"))).Template;

        Assert.Equal(functionTimeout, (int)template.Properties("RelayLambdaFunction")["Timeout"]!);
        Assert.Equal(visibilityTimeout.ToString(CultureInfo.InvariantCulture), template.Evaluate(template.Properties("MessageQueue")["VisibilityTimeout"]));
    }

    [Fact]
    public async Task A_changed_maxReceiveCount_reaches_the_redrive_policy()
    {
        var template = (await ServerlessPackage.PackageAsync(Parse("maxReceiveCount=3"))).Template;

        Assert.Equal("3", template.Evaluate(template.Properties("MessageQueue")["RedrivePolicy"]!["maxReceiveCount"]));
    }

    [Fact]
    public void Without_cfn_lint_on_the_path_the_tests_fail_naming_it()
    {
        var error = Assert.Throws<InvalidOperationException>(() => CfnLint.Locate(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"))));

        Assert.Contains("cfn-lint is not on PATH", error.Message, StringComparison.Ordinal);
    }

    private static List<KeyValuePair<string, string>> Parse(string parameters) =>
        [.. parameters.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=')).Select(p => KeyValuePair.Create(p[0], p[1]))];
}
