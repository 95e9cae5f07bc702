using Amazon;
using Amazon.SQS;
using Microsoft.Extensions.DependencyInjection;
using SocketRelay.Application.Configuration;
using SocketRelay.LocalGateway.Queue;
using SocketRelay.LocalGateway.Queue.Sqs;

namespace SocketRelay.LocalGateway.Tests.Queue.Sqs;

public sealed class SqsRegistrationTests
{
    [Fact]
    public async Task The_registered_queue_reaches_the_service_url_signed_with_local_credentials_when_none_are_configured()
    {
        await using var endpoint = await FakeSqsEndpoint.StartAsync();
        endpoint.On("DeleteMessage", SqsReply.Ok());
        var options = new SqsQueueOptions { QueueUrl = FakeSqsEndpoint.QueueUrl, ServiceUrl = endpoint.Url.ToString(), Region = "eu-west-1" };
        using var client = SqsClientFactory.Create(options, _ => null);
        await using var provider = new ServiceCollection()
            .AddSingleton<IAmazonSQS>(client)
            .AddSqsFifoQueue(configure => configure.QueueUrl = FakeSqsEndpoint.QueueUrl)
            .BuildServiceProvider();

        var queue = provider.GetRequiredService<IFifoQueue>();

        Assert.IsType<SqsFifoQueue>(queue);
        Assert.True(await queue.DeleteAsync("handle", CancellationToken.None));
        Assert.Contains("Credential=socketrelay-local/", endpoint.Single("DeleteMessage").Authorization, StringComparison.Ordinal);
        Assert.Contains("/eu-west-1/sqs/", endpoint.Single("DeleteMessage").Authorization, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Registration_creates_a_client_for_the_service_url_when_none_is_registered()
    {
        await using var endpoint = await FakeSqsEndpoint.StartAsync();
        endpoint.On("DeleteMessage", SqsReply.Ok());
        await using var provider = new ServiceCollection()
            .AddSqsFifoQueue(options =>
            {
                options.QueueUrl = FakeSqsEndpoint.QueueUrl;
                options.ServiceUrl = endpoint.Url.ToString();
            })
            .BuildServiceProvider();

        Assert.True(await provider.GetRequiredService<IFifoQueue>().DeleteAsync("handle", CancellationToken.None));
        Assert.Equal(FakeSqsEndpoint.QueueUrl, endpoint.Single("DeleteMessage").Text("QueueUrl"));
    }

    [Fact]
    public async Task The_created_client_lets_the_SDK_retry_a_server_error()
    {
        await using var endpoint = await FakeSqsEndpoint.StartAsync();
        var attempts = 0;
        endpoint.On("DeleteMessage", _ => Interlocked.Increment(ref attempts) == 1
            ? SqsReply.Error(500, "InternalError", "InternalError", "We encountered an internal error. Please try again.")
            : SqsReply.Ok());
        var options = new SqsQueueOptions { QueueUrl = FakeSqsEndpoint.QueueUrl, ServiceUrl = endpoint.Url.ToString() };
        using var client = SqsClientFactory.Create(options, _ => null);

        Assert.True(await new SqsFifoQueue(client, options).DeleteAsync("handle", CancellationToken.None));
        Assert.Equal(2, endpoint.Calls.Count);
    }

    [Fact]
    public void Without_a_service_url_the_client_talks_to_SQS_in_the_region()
    {
        using var client = SqsClientFactory.Create(new SqsQueueOptions { QueueUrl = FakeSqsEndpoint.QueueUrl, Region = "eu-west-1" }, _ => null);

        Assert.Equal(RegionEndpoint.EUWest1, client.Config.RegionEndpoint);
        Assert.Null(client.Config.ServiceURL);
    }

    [Fact]
    public void Registration_rejects_invalid_options_at_startup()
    {
        var error = Assert.Throws<InvalidOptionsException>(() =>
            new ServiceCollection().AddSqsFifoQueue(options => options.QueueUrl = "https://sqs.eu-west-1.amazonaws.com/1/standard"));

        Assert.Contains(".fifo", error.Message, StringComparison.Ordinal);
    }
}
