using Microsoft.Extensions.Configuration;
using SocketRelay.Application.Configuration;
using SocketRelay.LocalGateway.ApiGateway;
using SocketRelay.LocalGateway.Hosting;
using SocketRelay.LocalGateway.Lambda;

namespace SocketRelay.LocalGateway.Tests.Hosting;

/// <summary>One account, region and function name, the same in every ARN and variable the function is given.</summary>
public sealed class LocalIdentityTests
{
    /// <summary>As the executable reads its options.</summary>
    private static GatewayOptions FromCommandLine(params string[] args)
    {
        var problems = new List<OptionProblem>();
        var options = GatewayOptions.Load(
            new ConfigurationBuilder().AddCommandLine(args, CommandLine.SwitchMappings).Build().GetSection(GatewayOptions.SectionName), problems);
        Assert.Empty(problems);
        return options;
    }

    [Fact]
    public void By_default_everything_is_socketrelay_local_in_us_east_1_of_the_local_account()
    {
        var identity = new GatewayOptions().ToIdentity();

        Assert.Equal("arn:aws:lambda:us-east-1:000000000000:function:socketrelay-local", identity.FunctionArn);
        Assert.Equal("arn:aws:sqs:us-east-1:000000000000:socketrelay-local-messages.fifo", identity.QueueArn);
        Assert.Equal("us-east-1", identity.Region);
        Assert.Equal("socketrelay-local", identity.FunctionName);
        Assert.Equal(256, identity.FunctionMemoryMb);
        Assert.Equal("/aws/lambda/socketrelay-local", identity.LogGroupName);
    }

    [Fact]
    public void Region_function_name_and_memory_from_the_command_line_reach_every_arn()
    {
        var identity = FromCommandLine("--region", "eu-west-2", "--function-name", "orders_consumer-1", "--function-memory", "1024").ToIdentity();

        Assert.Equal("arn:aws:lambda:eu-west-2:000000000000:function:orders_consumer-1", identity.FunctionArn);
        Assert.Equal("arn:aws:sqs:eu-west-2:000000000000:socketrelay-local-messages.fifo", identity.QueueArn);
        Assert.Equal(1024, identity.FunctionMemoryMb);
        Assert.Equal("/aws/lambda/orders_consumer-1", identity.LogGroupName);
    }

    [Theory]
    [InlineData("cn-north-1", "arn:aws-cn:lambda:cn-north-1:000000000000:function:socketrelay-local")]
    [InlineData("us-gov-west-1", "arn:aws-us-gov:lambda:us-gov-west-1:000000000000:function:socketrelay-local")]
    public void Regions_outside_the_aws_partition_get_their_partition_in_the_arn(string region, string functionArn)
    {
        Assert.Equal(functionArn, new GatewayOptions { Region = region }.ToIdentity().FunctionArn);
    }

    [Fact]
    public void With_an_sqs_queue_the_event_source_arn_names_that_queue_and_its_owner()
    {
        var identity = FromCommandLine("--queue", "sqs", "--sqs-queue-url", "http://127.0.0.1:5000/123456789012/relay-messages.fifo").ToIdentity();

        Assert.Equal("arn:aws:sqs:us-east-1:123456789012:relay-messages.fifo", identity.QueueArn);
        Assert.Equal("arn:aws:lambda:us-east-1:000000000000:function:socketrelay-local", identity.FunctionArn);
    }

    [Theory]
    [InlineData("http://127.0.0.1:9324/queue/relay.fifo", "arn:aws:sqs:us-east-1:000000000000:relay.fifo")]
    [InlineData("http://127.0.0.1:9324/1/relay.fifo", "arn:aws:sqs:us-east-1:000000000000:relay.fifo")]
    [InlineData("http://127.0.0.1:9324/relay.fifo", "arn:aws:sqs:us-east-1:000000000000:relay.fifo")]
    public void A_queue_url_without_an_account_in_its_path_still_names_its_queue(string queueUrl, string queueArn)
    {
        var identity = FromCommandLine("--queue", "sqs", "--sqs-queue-url", queueUrl, "--sqs-service-url", "http://127.0.0.1:9324").ToIdentity();

        Assert.Equal(queueArn, identity.QueueArn);
    }

    [Theory]
    [InlineData("--region", "US East 1", "--region must be an AWS region name")]
    [InlineData("--region", "useast1", "--region must be an AWS region name")]
    [InlineData("--function-name", "orders consumer", "--function-name must be 1–64 letters")]
    [InlineData("--function-name", "arn:aws:lambda:us-east-1:000000000000:function:x", "--function-name must be 1–64 letters")]
    [InlineData("--function-name", "a-name-of-sixty-five-characters-is-one-more-than-lambda-allows-xx", "--function-name must be 1–64 letters")]
    [InlineData("--function-memory", "64", "--function-memory must be 128–10240 MB")]
    [InlineData("--function-memory", "10241", "--function-memory must be 128–10240 MB")]
    public void Invalid_identity_settings_are_named_with_their_option(string option, string value, string problem)
    {
        var problems = FromCommandLine(option, value).Problems().Select(p => p.ToString()).ToList();

        Assert.Contains(problems, p => p.StartsWith(problem, StringComparison.Ordinal) && p.Contains(value, StringComparison.Ordinal));
    }

    [Fact]
    public void Lambdas_own_limits_are_accepted()
    {
        Assert.Empty(FromCommandLine("--function-memory", "128", "--function-name", new string('f', 64), "--region", "ap-southeast-2").Problems());
        Assert.Empty(FromCommandLine("--function-memory", "10240").Problems());
    }

    [Fact]
    public void An_aws_queue_in_another_region_than_the_function_is_refused_unless_reached_through_another_endpoint()
    {
        var problems = FromCommandLine("--queue", "sqs", "--sqs-queue-url", "https://sqs.eu-west-1.amazonaws.com/123456789012/relay.fifo").Problems().Select(p => p.ToString());

        Assert.Contains("--region must be the queue's region (eu-west-1), as an event source mapping polls a queue in its function's region (was us-east-1)", problems);
        Assert.Empty(FromCommandLine("--queue", "sqs", "--region", "eu-west-1", "--sqs-queue-url", "https://sqs.eu-west-1.amazonaws.com/123456789012/relay.fifo").Problems());
        Assert.Empty(FromCommandLine("--queue", "sqs", "--sqs-queue-url", "https://sqs.eu-west-1.amazonaws.com/123456789012/relay.fifo", "--sqs-service-url", "http://127.0.0.1:5000").Problems());
    }

    [Fact]
    public void The_function_environment_carries_the_same_region_name_and_memory()
    {
        var identity = new GatewayOptions { Region = "eu-central-1", FunctionName = "orders", FunctionMemoryMb = 512 }.ToIdentity();

        var environment = FunctionEnvironment.For(new Uri("http://127.0.0.1:8080/local"), identity, "bootstrap", "/srv/function", new Dictionary<string, string>(), ConnectionsApiCredentials.Default, _ => null);

        Assert.Equal("eu-central-1", environment["AWS_REGION"]);
        Assert.Equal("eu-central-1", environment["AWS_DEFAULT_REGION"]);
        Assert.Equal("orders", environment["AWS_LAMBDA_FUNCTION_NAME"]);
        Assert.Equal("512", environment["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"]);
        Assert.Equal("$LATEST", environment["AWS_LAMBDA_FUNCTION_VERSION"]);
    }

    [Fact]
    public void Help_lists_the_identity_options()
    {
        var help = CommandLine.Help();

        Assert.Contains("--region REGION", help, StringComparison.Ordinal);
        Assert.Contains("--function-name NAME", help, StringComparison.Ordinal);
        Assert.Contains("--function-memory MB", help, StringComparison.Ordinal);
    }
}
