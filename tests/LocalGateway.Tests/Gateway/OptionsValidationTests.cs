using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SocketRelay.Application.Configuration;
using SocketRelay.LocalGateway.ApiGateway;
using SocketRelay.LocalGateway.EventSource;
using SocketRelay.LocalGateway.Hosting;
using SocketRelay.LocalGateway.Queue;

namespace SocketRelay.LocalGateway.Tests.Gateway;

/// <summary>Every options type of the gateway reports every bad setting at once, by the name its user set it by.</summary>
public sealed class OptionsValidationTests
{
    [Fact]
    public void The_api_gateway_options_name_every_bad_limit_and_fault_setting_when_first_resolved()
    {
        using var provider = new ServiceCollection()
            .AddApiGateway(api =>
            {
                api.MaxFrameBytes = 0;
                api.SendTimeout = TimeSpan.Zero;
                api.Faults.Rate = 2;
            })
            .BuildServiceProvider();

        var error = Assert.Throws<InvalidOptionsException>(provider.GetRequiredService<ApiGatewayOptions>);

        Assert.Equal(["MaxFrameBytes", "SendTimeout", "Faults.Rate"], error.Problems.Select(p => p.Name));
        Assert.Contains("Faults.Rate must be between 0 and 1 (was 2)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_fault_options_name_every_bad_setting()
    {
        var faults = new ConnectionsFaultOptions { StatusCodes = [404], LatencyMs = -1 };

        var error = Assert.Throws<InvalidOptionsException>(faults.Validate);

        Assert.Equal(["StatusCodes must list codes among 429,500,502,503,504 (was '404')", "LatencyMs must be 0–60000 (was -1)"], error.Problems.Select(p => p.ToString()));
    }

    [Fact]
    public void The_event_source_options_name_every_bad_setting()
    {
        var options = new EventSourceOptions { Pollers = 0, BatchSize = 11, FunctionTimeout = TimeSpan.FromSeconds(10), VisibilityTimeout = TimeSpan.FromSeconds(5) };

        var error = Assert.Throws<InvalidOptionsException>(options.Validate);

        Assert.Equal(["Pollers", "BatchSize", "VisibilityTimeout"], error.Problems.Select(p => p.Name));
    }

    [Fact]
    public void The_sqlite_queue_refuses_to_open_with_every_bad_setting_named()
    {
        var error = Assert.Throws<InvalidOptionsException>(() =>
            SqliteFifoQueue.Open(new SqliteQueueOptions { DataDirectory = " ", MaxReceiveCount = 0 }, TimeProvider.System));

        Assert.Equal(["DataDirectory", "MaxReceiveCount"], error.Problems.Select(p => p.Name));
    }

    [Fact]
    public async Task The_gateway_names_every_bad_setting_by_its_switch_before_starting_anything()
    {
        var options = new GatewayOptions { Port = 70000, Pollers = 0, FaultRate = 2, Queue = "sqs", SqsQueueUrl = "https://sqs.us-east-1.amazonaws.com/1/standard" };

        var error = await Assert.ThrowsAsync<InvalidOptionsException>(() =>
            GatewayHost.StartAsync(options, _ => null, TextWriter.Null, logging => logging.ClearProviders()));

        Assert.Equal(["--fault-rate", "--port", "--sqs-queue-url", "--pollers"], error.Problems.Select(p => p.Name));
    }

    [Fact]
    public void A_value_that_is_not_a_number_is_named_by_its_switch()
    {
        var configuration = new ConfigurationBuilder()
            .AddCommandLine(["--port", "abc", "--fault-rate", "often", "--pollers", "2"], CommandLine.SwitchMappings)
            .Build();
        var problems = new List<OptionProblem>();

        var options = GatewayOptions.Load(configuration.GetSection(GatewayOptions.SectionName), problems);

        Assert.Equal(
            ["--port must be a whole number (was 'abc')", "--fault-rate must be a number between 0 and 1, such as 0.2 (was 'often')"],
            problems.Select(p => p.ToString()));
        Assert.Equal(2, options.Pollers);
    }
}
