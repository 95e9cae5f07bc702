using SocketRelay.Application.Configuration;
using SocketRelay.LocalGateway.Queue.Sqs;

namespace SocketRelay.LocalGateway.Tests.Queue.Sqs;

public sealed class SqsQueueOptionsTests
{
    [Theory]
    [InlineData("https://sqs.eu-west-1.amazonaws.com/123456789012/relay.fifo", null)]
    [InlineData("http://127.0.0.1:9324/000000000000/relay.fifo", "http://127.0.0.1:9324")]
    public void A_FIFO_queue_url_is_accepted(string queueUrl, string? serviceUrl) =>
        new SqsQueueOptions { QueueUrl = queueUrl, ServiceUrl = serviceUrl }.Validate();

    [Fact]
    public void A_standard_queue_is_rejected_because_the_adapter_needs_FIFO_semantics()
    {
        var options = new SqsQueueOptions { QueueUrl = "https://sqs.eu-west-1.amazonaws.com/123456789012/relay" };

        var error = Assert.Throws<InvalidOptionsException>(options.Validate);

        Assert.Equal(nameof(SqsQueueOptions.QueueUrl), error.ParamName);
        Assert.Contains(".fifo", error.Message, StringComparison.Ordinal);
        Assert.Contains(options.QueueUrl, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("relay.fifo")]
    [InlineData("ftp://example.com/relay.fifo")]
    public void A_missing_or_relative_queue_url_is_rejected(string queueUrl)
    {
        var error = Assert.Throws<InvalidOptionsException>(new SqsQueueOptions { QueueUrl = queueUrl }.Validate);

        Assert.Equal(nameof(SqsQueueOptions.QueueUrl), error.ParamName);
    }

    [Fact]
    public void A_malformed_service_url_is_rejected()
    {
        var options = new SqsQueueOptions { QueueUrl = FakeSqsEndpoint.QueueUrl, ServiceUrl = "127.0.0.1:9324" };

        var error = Assert.Throws<InvalidOptionsException>(options.Validate);

        Assert.Equal(nameof(SqsQueueOptions.ServiceUrl), error.ParamName);
    }

    [Fact]
    public void An_empty_region_is_rejected()
    {
        var error = Assert.Throws<InvalidOptionsException>(new SqsQueueOptions { QueueUrl = FakeSqsEndpoint.QueueUrl, Region = " " }.Validate);

        Assert.Equal(nameof(SqsQueueOptions.Region), error.ParamName);
    }

    [Fact]
    public void The_region_defaults_to_AWS_REGION_or_us_east_1()
    {
        var expected = Environment.GetEnvironmentVariable("AWS_REGION") is { Length: > 0 } region ? region : "us-east-1";

        Assert.Equal(expected, new SqsQueueOptions().Region);
    }
}
