using System.Text.RegularExpressions;

namespace SocketRelay.LocalGateway.Tests.Gateway;

/// <summary>The real <c>wscat</c> (pinned in tests/tools/package.json, installed on first use) against a running gateway.</summary>
public partial class WscatTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    [Fact]
    public Task The_seed_wscat_transcript_works_against_the_local_gateway() =>
        RunSeedTranscriptAsync(fixture.Gateway.WebSocketUrl.ToString().TrimEnd('/'));

    [Fact]
    public Task The_seed_wscat_transcript_works_against_the_stage_url_too() =>
        RunSeedTranscriptAsync(fixture.Gateway.WebSocketUrl.ToString().TrimEnd('/') + "/local");

    private static async Task RunSeedTranscriptAsync(string url)
    {
        await TestTools.EnsureNpmToolsAsync();
        var wscat = Path.Combine(TestTools.ToolsDirectory, "node_modules", "wscat", "bin", "wscat");

        // wscat quits when its standard input ends, so it stays open while -x sends the frame once connected.
        var run = await TestTools.RunAsync(
            "node",
            [wscat, "-c", url, "-x", "{\"MessageGroupId\": \"test\", \"data\": \"hello world\"}", "-w", "5"],
            holdStdinOpen: true);

        Assert.True(run.ExitCode == 0, $"wscat exited {run.ExitCode}: {run.Error}");
        Assert.Matches(SeedReply(), run.Output.Trim());
    }

    [GeneratedRegex("""^\{"connectionId":"[A-Za-z0-9+/=]{16,}","requestId":"[A-Za-z0-9+/=]{16,}","message":"\{\\"MessageGroupId\\":\\"test\\",\\"data\\":\\"hello world\\"\}"\}$""")]
    private static partial Regex SeedReply();
}
