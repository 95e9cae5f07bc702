using Amazon;
using Amazon.SQS;
using SocketRelay.LocalGateway.Queue.Sqs;

namespace SocketRelay.LocalGateway.Tests.Queue.Sqs;

public sealed class SqsClientFactoryTests
{
    [Fact]
    public async Task A_client_for_a_service_url_reaches_it_signed_with_local_credentials_when_none_are_configured()
    {
        await using var endpoint = await FakeSqsEndpoint.StartAsync();
        endpoint.On("DeleteMessage", SqsReply.Ok());
        var options = new SqsQueueOptions { QueueUrl = FakeSqsEndpoint.QueueUrl, ServiceUrl = endpoint.Url.ToString(), Region = "eu-west-1" };
        using var client = SqsClientFactory.Create(options, _ => null);

        Assert.True(await new SqsFifoQueue(client, options).DeleteAsync("handle", CancellationToken.None));

        var call = endpoint.Single("DeleteMessage");
        Assert.Equal(FakeSqsEndpoint.QueueUrl, call.Text("QueueUrl"));
        Assert.Contains("Credential=socketrelay-local/", call.Authorization, StringComparison.Ordinal);
        Assert.Contains("/eu-west-1/sqs/", call.Authorization, StringComparison.Ordinal);
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
}
