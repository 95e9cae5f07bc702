namespace SocketRelay.LocalGateway.Tests.Queue.Sqs;

public sealed class SqsSendTests
{
    [Fact]
    public async Task Send_carries_the_queue_url_group_deduplication_id_and_string_attributes()
    {
        await using var harness = await SqsQueueHarness.StartAsync();
        harness.AcceptSends();

        await harness.SendAsync("{\"action\":\"echo\"}", new Dictionary<string, string>
        {
            ["connectionId"] = "L0SM9cOFvHcCIhw=",
            ["requestId"] = "HYLg7Hb5oAMFv6w=",
        });

        var call = harness.Endpoint.Single("SendMessage");
        Assert.Equal(FakeSqsEndpoint.QueueUrl, call.Text("QueueUrl"));
        Assert.Equal("connection-42", call.Text("MessageGroupId"));
        Assert.Equal("request-7", call.Text("MessageDeduplicationId"));
        var attributes = call.Body.GetProperty("MessageAttributes");
        Assert.Equal(2, attributes.EnumerateObject().Count());
        Assert.Equal("String", attributes.GetProperty("connectionId").GetProperty("DataType").GetString());
        Assert.Equal("L0SM9cOFvHcCIhw=", attributes.GetProperty("connectionId").GetProperty("StringValue").GetString());
        Assert.Equal("String", attributes.GetProperty("requestId").GetProperty("DataType").GetString());
        Assert.Equal("HYLg7Hb5oAMFv6w=", attributes.GetProperty("requestId").GetProperty("StringValue").GetString());
    }

    [Theory]
    [InlineData("& + % = \" \\ é 𝄞")]
    [InlineData("a=1&b=2%20+3")]
    [InlineData("  leading and trailing whitespace\r\n\t")]
    public async Task Send_passes_the_body_byte_for_byte(string body)
    {
        await using var harness = await SqsQueueHarness.StartAsync();
        harness.AcceptSends();

        await harness.SendAsync(body);

        Assert.Equal(body, SqsQueueHarness.BodyOf(harness.Endpoint.Single("SendMessage").Body));
    }

    [Fact]
    public async Task Send_passes_a_120_KB_body_intact()
    {
        await using var harness = await SqsQueueHarness.StartAsync();
        harness.AcceptSends();
        var body = string.Concat(Enumerable.Range(0, 120 * 1024 / 8).Select(i => $"{i % 100_000_000:D8}"));

        await harness.SendAsync(body);

        var sent = SqsQueueHarness.BodyOf(harness.Endpoint.Single("SendMessage").Body);
        Assert.Equal(120 * 1024, sent.Length);
        Assert.Equal(body, sent);
    }

    [Fact]
    public async Task Send_returns_the_message_id_and_sequence_number_SQS_assigned()
    {
        await using var harness = await SqsQueueHarness.StartAsync();
        harness.AcceptSends(messageId: "0e1c6a6b-7b1e-4c1c-9a1a-8d6a3f1e2b3c", sequenceNumber: "18849496460467696999");

        var result = await harness.SendAsync("hello");

        Assert.Equal("0e1c6a6b-7b1e-4c1c-9a1a-8d6a3f1e2b3c", result.MessageId);
        Assert.Equal("18849496460467696999", result.SequenceNumber);
        // SQS answers a deduplicated send exactly like a new one, so the adapter cannot tell.
        Assert.False(result.IsDuplicate);
    }

    [Fact]
    public async Task Send_without_attributes_sends_no_attribute_map()
    {
        await using var harness = await SqsQueueHarness.StartAsync();
        harness.AcceptSends();

        await harness.SendAsync("hello");

        Assert.False(harness.Endpoint.Single("SendMessage").Body.TryGetProperty("MessageAttributes", out _));
    }
}
