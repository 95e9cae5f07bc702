using SocketRelay.LocalGateway.Hosting;
using SocketRelay.TestSupport;

namespace SocketRelay.LocalGateway.Tests.Gateway;

/// <summary>The banner's signed <c>curl</c> and <c>aws</c> examples, run by a shell exactly as printed, reach the client.</summary>
public sealed class BannerExampleTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task The_banners_curl_and_aws_examples_work_as_printed()
    {
        var banner = Banner.For(fixture.Gateway);
        var examples = Banner.PostExamples(fixture.Gateway);
        using var socket = await fixture.ConnectAsync();
        var connectionId = await Eventually.ValueAsync(() => fixture.Gateway.Connections.Connections.SingleOrDefault()?.Id.Value);

        Assert.Equal(2, examples.Count);
        foreach (var example in examples)
        {
            Assert.Contains(example, banner, StringComparison.Ordinal);
            // As the banner says: in the curl URL a '/' in the id is written %2F.
            var command = example.Replace("<id>", example.StartsWith("curl", StringComparison.Ordinal) ? connectionId.Replace("/", "%2F", StringComparison.Ordinal) : connectionId, StringComparison.Ordinal);
            var run = await TestTools.RunAsync("bash", ["-c", command], environment: new Dictionary<string, string?>
            {
                // A shell set up for AWS itself (a named profile, an assumed role's token, another region): the
                // example must use none of it.
                ["AWS_PROFILE"] = "a-profile-this-machine-does-not-have",
                ["AWS_SESSION_TOKEN"] = "FwoGZXIvYXdzEXAMPLETOKEN",
                ["AWS_REGION"] = "eu-west-1",
                ["AWS_CONFIG_FILE"] = "/nonexistent/config",
                ["AWS_SHARED_CREDENTIALS_FILE"] = "/nonexistent/credentials",
            });

            Assert.True(run.ExitCode == 0, $"{command}\nexited {run.ExitCode}: {run.Error}");
            Assert.DoesNotContain("message", run.Output, StringComparison.Ordinal);
            Assert.Equal("hello", await socket.ReceiveTextAsync());
        }
    }

    [Fact]
    public void The_banner_names_the_stage_the_signing_scope_and_the_credentials()
    {
        var banner = Banner.For(fixture.Gateway);
        var http = fixture.Gateway.HttpUrl.ToString().TrimEnd('/');

        Assert.Contains($"{http}/local/@connections/{{connectionId}}  (SigV4: execute-api, us-east-1)", banner, StringComparison.Ordinal);
        Assert.Contains("AWS_ACCESS_KEY_ID=SOCKETRELAYLOCALKEY AWS_SECRET_ACCESS_KEY=socketrelay-local-secret", banner, StringComparison.Ordinal);
    }

    [Fact]
    public void The_banner_gives_every_execution_environments_Runtime_API_port()
    {
        var banner = Banner.For(fixture.Gateway);
        var addresses = fixture.Gateway.RuntimeApiAddresses;

        Assert.True(addresses.Count > 1, $"the fixture runs {addresses.Count} execution environment(s)");
        Assert.Equal(addresses.Count, addresses.Distinct().Count());
        var line = Assert.Single(banner.Split('\n'), l => l.Contains("Lambda Runtime API", StringComparison.Ordinal));
        Assert.Contains($"http://{addresses[0]}/2018-06-01/runtime", line, StringComparison.Ordinal);
        Assert.Contains($"execution environment 1 of {addresses.Count}", line, StringComparison.Ordinal);
        Assert.Contains("the function's own", line, StringComparison.Ordinal);
        foreach (var address in addresses.Skip(1))
        {
            Assert.Contains(address[(address.LastIndexOf(':') + 1)..], line, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void One_execution_environment_is_given_as_its_Runtime_API_and_as_the_functions() =>
        Assert.StartsWith("http://127.0.0.1:9001/2018-06-01/runtime  (the function's own", Banner.RuntimeApis(["127.0.0.1:9001"]), StringComparison.Ordinal);

    [Fact]
    public async Task The_function_replies_through_another_stage_with_other_credentials()
    {
        var options = fixture.Options;
        options.DataDir = Path.Combine(Path.GetTempPath(), "socketrelay-stage-" + Guid.NewGuid().ToString("N"));
        options.Stage = "prod";
        options.AccessKeyId = "AKIAIOSFODNN7EXAMPLE";
        options.SecretAccessKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
        try
        {
            await using var gateway = await fixture.StartAsync(options);
            using var socket = new System.Net.WebSockets.ClientWebSocket();
            await socket.ConnectAsync(new Uri(gateway.WebSocketUrl, "/prod"), CancellationToken.None);

            await socket.SendTextAsync("{\"data\":\"staged\"}");

            Assert.Equal(new Uri(gateway.HttpUrl, "/prod"), gateway.ConnectionsEndpoint);
            Assert.Contains("\"message\":\"{\\\"data\\\":\\\"staged\\\"}\"", await socket.ReceiveTextAsync(), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(options.DataDir, recursive: true);
        }
    }
}
