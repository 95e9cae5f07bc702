using System.Net;
using Microsoft.Extensions.Configuration;
using SocketRelay.Application.Configuration;
using SocketRelay.LocalGateway.Hosting;
using SocketRelay.LocalGateway.Tests.Reliability;

namespace SocketRelay.LocalGateway.Tests.DevConsole;

/// <summary><c>Gateway__DevConsole=false</c>: the pipeline without the console's bookkeeping, as the benchmark compares.</summary>
public sealed class ConsoleSwitchTests
{
    [Fact]
    public async Task With_the_console_off_there_is_no_console_and_no_bookkeeping_but_the_status_still_answers()
    {
        await using var gateway = await ReliabilityGateway.StartAsync(options => options.DevConsole = false, new Dictionary<string, string>());
        using var http = new HttpClient { BaseAddress = gateway.Host.HttpUrl };

        Assert.Null(gateway.Host.Recorder);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/_local/")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/_local/api/messages")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/_local/status")).StatusCode);
    }

    [Theory]
    [InlineData("false", false, 0)]
    [InlineData("True", true, 0)]
    [InlineData("off", true, 1)]
    public void The_switch_is_read_from_the_Gateway_section_and_a_bad_value_is_named(string value, bool on, int problemCount)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Gateway:DevConsole"] = value })
            .Build();
        var problems = new List<OptionProblem>();

        var options = GatewayOptions.Load(configuration.GetSection(GatewayOptions.SectionName), problems);

        Assert.Equal(on, options.DevConsole);
        Assert.Equal(problemCount, problems.Count(p => p.ToString().StartsWith("Gateway__DevConsole must be true or false", StringComparison.Ordinal)));
    }
}
