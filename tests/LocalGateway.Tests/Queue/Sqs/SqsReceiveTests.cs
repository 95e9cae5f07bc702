using System.Text.Json.Nodes;

namespace SocketRelay.LocalGateway.Tests.Queue.Sqs;

public sealed class SqsReceiveTests
{
    [Fact]
    public async Task Receive_asks_for_the_count_whole_second_timeouts_and_every_attribute()
    {
        await using var harness = await SqsQueueHarness.StartAsync();
        harness.Endpoint.On("ReceiveMessage", SqsReply.Ok(SqsQueueHarness.Messages()));

        await harness.Queue.ReceiveAsync(7, TimeSpan.FromSeconds(30.2), TimeSpan.FromSeconds(3.4), CancellationToken.None);

        var call = harness.Endpoint.Single("ReceiveMessage");
        Assert.Equal(FakeSqsEndpoint.QueueUrl, call.Text("QueueUrl"));
        Assert.Equal(7, call.Number("MaxNumberOfMessages"));
        Assert.Equal(31, call.Number("VisibilityTimeout"));
        Assert.Equal(3, call.Number("WaitTimeSeconds"));
        Assert.Equal(["All"], call.Strings("MessageSystemAttributeNames"));
        Assert.Equal(["All"], call.Strings("MessageAttributeNames"));
    }

    [Theory]
    [InlineData(0.001, 1)]
    [InlineData(29.999, 30)]
    [InlineData(30, 30)]
    public async Task Receive_rounds_the_visibility_timeout_up_so_a_message_never_reappears_early(double seconds, int sent)
    {
        await using var harness = await SqsQueueHarness.StartAsync();
        harness.Endpoint.On("ReceiveMessage", SqsReply.Ok(SqsQueueHarness.Messages()));

        await harness.Queue.ReceiveAsync(1, TimeSpan.FromSeconds(seconds), TimeSpan.Zero, CancellationToken.None);

        Assert.Equal(sent, harness.Endpoint.Single("ReceiveMessage").Number("VisibilityTimeout"));
    }

    [Fact]
    public async Task Receive_rejects_a_wait_longer_than_SQS_allows_without_calling_it()
    {
        await using var harness = await SqsQueueHarness.StartAsync();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            harness.Queue.ReceiveAsync(1, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(21), CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            harness.Queue.ReceiveAsync(11, TimeSpan.FromSeconds(30), TimeSpan.Zero, CancellationToken.None));
        Assert.Empty(harness.Endpoint.Calls);
    }

    [Fact]
    public async Task Receive_maps_every_system_and_message_attribute_of_an_SQS_message()
    {
        await using var harness = await SqsQueueHarness.StartAsync();
        const string body = "{\"action\":\"echo\",\"text\":\"& + % = é 𝄞\"}";
        harness.Endpoint.On("ReceiveMessage", SqsReply.Ok(SqsQueueHarness.Messages(new JsonObject
        {
            ["MessageId"] = "2e1424d4-f796-459a-8184-9c92662be6da",
            ["ReceiptHandle"] = "AQEBzWwaftRI0KuVm4tP+/7q1rGgNqicHq...",
            ["MD5OfBody"] = FakeSqsEndpoint.Md5Hex(body),
            ["Body"] = body,
            ["Attributes"] = new JsonObject
            {
                ["SenderId"] = "AROAIWPX5BD2BHG722MW4:sender",
                ["ApproximateFirstReceiveTimestamp"] = "1767225600250",
                ["ApproximateReceiveCount"] = "3",
                ["SentTimestamp"] = "1767225600000",
                ["SequenceNumber"] = "18849496460467696128",
                ["MessageDeduplicationId"] = "HYLg7Hb5oAMFv6w=",
                ["MessageGroupId"] = "L0SM9cOFvHcCIhw=",
            },
            ["MessageAttributes"] = new JsonObject
            {
                ["connectionId"] = new JsonObject { ["StringValue"] = "L0SM9cOFvHcCIhw=", ["DataType"] = "String" },
                ["requestId"] = new JsonObject { ["StringValue"] = "HYLg7Hb5oAMFv6w=", ["DataType"] = "String" },
            },
        })));

        var message = Assert.Single(await harness.Queue.ReceiveAsync(10, TimeSpan.FromSeconds(30), TimeSpan.Zero, CancellationToken.None));

        Assert.Equal("2e1424d4-f796-459a-8184-9c92662be6da", message.MessageId);
        Assert.Equal("AQEBzWwaftRI0KuVm4tP+/7q1rGgNqicHq...", message.ReceiptHandle);
        Assert.Equal(body, message.Body);
        Assert.Equal("L0SM9cOFvHcCIhw=", message.MessageGroupId);
        Assert.Equal("HYLg7Hb5oAMFv6w=", message.MessageDeduplicationId);
        Assert.Equal(3, message.ApproximateReceiveCount);
        Assert.Equal(1767225600000, message.SentTimestamp);
        Assert.Equal(1767225600250, message.ApproximateFirstReceiveTimestamp);
        Assert.Equal("18849496460467696128", message.SequenceNumber);
        Assert.Equal("AROAIWPX5BD2BHG722MW4:sender", message.SenderId);
        Assert.Equal(
            new Dictionary<string, string> { ["connectionId"] = "L0SM9cOFvHcCIhw=", ["requestId"] = "HYLg7Hb5oAMFv6w=" },
            message.MessageAttributes);
    }

    [Fact]
    public async Task Receive_keeps_the_order_SQS_returned()
    {
        await using var harness = await SqsQueueHarness.StartAsync();
        harness.Endpoint.On("ReceiveMessage", SqsReply.Ok(SqsQueueHarness.Messages(
            new JsonObject { ["MessageId"] = "first", ["ReceiptHandle"] = "h1", ["Body"] = "1", ["MD5OfBody"] = FakeSqsEndpoint.Md5Hex("1") },
            new JsonObject { ["MessageId"] = "second", ["ReceiptHandle"] = "h2", ["Body"] = "2", ["MD5OfBody"] = FakeSqsEndpoint.Md5Hex("2") })));

        var messages = await harness.Queue.ReceiveAsync(10, TimeSpan.FromSeconds(30), TimeSpan.Zero, CancellationToken.None);

        Assert.Equal(["first", "second"], messages.Select(message => message.MessageId));
        Assert.Equal(["h1", "h2"], messages.Select(message => message.ReceiptHandle));
    }

    [Fact]
    public async Task Receive_returns_an_empty_list_when_SQS_has_no_messages()
    {
        await using var harness = await SqsQueueHarness.StartAsync();
        harness.Endpoint.On("ReceiveMessage", SqsReply.Ok());

        Assert.Empty(await harness.Queue.ReceiveAsync(10, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(1), CancellationToken.None));
        Assert.Equal(1, harness.Endpoint.Single("ReceiveMessage").Number("WaitTimeSeconds"));
    }
}
