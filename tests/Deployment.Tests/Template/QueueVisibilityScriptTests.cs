using SocketRelay.Deployment.Tests.Support;

namespace SocketRelay.Deployment.Tests.Template;

/// <summary>deploy/scripts/queue-visibility-timeout.js, which serverless.yml asks for the queue's visibility timeout.</summary>
public sealed class QueueVisibilityScriptTests
{
    [Theory]
    [InlineData("3", "18")]
    [InlineData("30", "180")]
    [InlineData("900", "5400")]
    public async Task The_visibility_timeout_is_six_function_timeouts(string functionTimeout, string visibilityTimeout)
    {
        Assert.Equal(visibilityTimeout, (await RunAsync(functionTimeout)).Trim());
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1")]
    [InlineData("2")]
    [InlineData("901")]
    [InlineData("2.5")]
    [InlineData("thirty")]
    public async Task A_function_timeout_Lambda_refuses_or_within_the_deadline_margin_stops_the_packaging_with_the_limits(string functionTimeout)
    {
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => RunAsync(functionTimeout));

        Assert.Contains("functionTimeout must be a whole number of seconds from 3 (more than the function's 2 s deadline safety margin) to 900", failure.Message, StringComparison.Ordinal);
    }

    private static Task<string> RunAsync(string functionTimeout) => ChildProcess.RunAsync(
        "node",
        ["-e", "process.stdout.write(String(require('./scripts/queue-visibility-timeout.js').visibilityTimeoutFor(process.argv[1])))", functionTimeout],
        RepositoryLayout.DeployDirectory);
}
