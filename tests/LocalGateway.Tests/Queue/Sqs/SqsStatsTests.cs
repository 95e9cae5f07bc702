using System.Text.Json.Nodes;

namespace SocketRelay.LocalGateway.Tests.Queue.Sqs;

public sealed class SqsStatsTests
{
    private static readonly string RedrivePolicy =
        new JsonObject { ["deadLetterTargetArn"] = FakeSqsEndpoint.DeadLetterQueueArn, ["maxReceiveCount"] = 5 }.ToJsonString();

    [Fact]
    public async Task Stats_read_depth_and_in_flight_from_the_queue_attributes()
    {
        await using var harness = await SqsQueueHarness.StartAsync();
        harness.Endpoint.On("GetQueueAttributes", Attributes(("ApproximateNumberOfMessages", "12"), ("ApproximateNumberOfMessagesNotVisible", "3")));

        var stats = await harness.Queue.GetStatsAsync(CancellationToken.None);

        Assert.Equal(12, stats.QueueDepth);
        Assert.Equal(3, stats.InFlight);
        Assert.Equal(0, stats.DeadLetterQueueDepth);
        var call = harness.Endpoint.Single("GetQueueAttributes");
        Assert.Equal(FakeSqsEndpoint.QueueUrl, call.Text("QueueUrl"));
        Assert.Equal(
            ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "RedrivePolicy"],
            call.Strings("AttributeNames").Order(StringComparer.Ordinal));
        Assert.DoesNotContain(harness.Endpoint.Calls, c => c.Operation == "GetQueueUrl");
    }

    [Fact]
    public async Task Stats_follow_the_redrive_policy_to_the_dead_letter_queue_depth()
    {
        await using var harness = await SqsQueueHarness.StartAsync();
        harness.Endpoint.On("GetQueueUrl", SqsReply.Ok(new JsonObject { ["QueueUrl"] = FakeSqsEndpoint.DeadLetterQueueUrl }));
        harness.Endpoint.On("GetQueueAttributes", request => request.GetProperty("QueueUrl").GetString() == FakeSqsEndpoint.DeadLetterQueueUrl
            ? Attributes(("ApproximateNumberOfMessages", "4"))
            : Attributes(("ApproximateNumberOfMessages", "1"), ("ApproximateNumberOfMessagesNotVisible", "2"), ("RedrivePolicy", RedrivePolicy)));

        var stats = await harness.Queue.GetStatsAsync(CancellationToken.None);
        var again = await harness.Queue.GetStatsAsync(CancellationToken.None);

        Assert.Equal(4, stats.DeadLetterQueueDepth);
        Assert.Equal(stats, again);
        var lookup = harness.Endpoint.Single("GetQueueUrl");
        Assert.Equal("relay-dlq.fifo", lookup.Text("QueueName"));
        Assert.Equal("123456789012", lookup.Text("QueueOwnerAWSAccountId"));
        var deadLetterCall = harness.Endpoint.Calls.First(c => c.Operation == "GetQueueAttributes" && c.Text("QueueUrl") == FakeSqsEndpoint.DeadLetterQueueUrl);
        Assert.Equal(["ApproximateNumberOfMessages"], deadLetterCall.Strings("AttributeNames"));
    }

    [Fact]
    public async Task Accepted_and_completed_count_this_process_s_successful_sends_and_deletes()
    {
        await using var harness = await SqsQueueHarness.StartAsync();
        harness.AcceptSends();
        harness.Endpoint.On("DeleteMessage", SqsReply.Ok());
        harness.Endpoint.On("GetQueueAttributes", Attributes());

        await harness.SendAsync("one");
        await harness.SendAsync("two");
        await harness.SendAsync("three");
        await harness.Queue.DeleteAsync("handle-1", CancellationToken.None);
        var stats = await harness.Queue.GetStatsAsync(CancellationToken.None);

        Assert.Equal(3, stats.Accepted);
        Assert.Equal(1, stats.Completed);
    }

    private static SqsReply Attributes(params (string Name, string Value)[] attributes)
    {
        var map = new JsonObject();
        foreach (var (name, value) in attributes)
        {
            map[name] = value;
        }

        return SqsReply.Ok(new JsonObject { ["Attributes"] = map });
    }
}
