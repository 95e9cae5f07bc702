using SocketRelay.LocalGateway.Queue;

namespace SocketRelay.LocalGateway.Tests.Queue;

public sealed class BodyTests : IDisposable
{
    private readonly QueueHarness _harness = new();

    public static TheoryData<string> Bodies => new()
    {
        "{\"MessageGroupId\":\"test\",\"data\":\"hello world\"}",
        "a&b+c%20d=e\"f\\g",
        "é 𝄞 ü 中文",
        "line one\nline two\r\nline three\ttab",
        "  leading and trailing spaces  ",
        new string('x', 128 * 1024),
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task A_body_comes_back_exactly_as_it_was_sent_even_after_a_reopen(string body)
    {
        await _harness.SendAsync(body);
        Assert.Equal(body, Assert.Single(await _harness.ReceiveAsync(visibility: TimeSpan.Zero)).Body);

        _harness.Reopen();

        Assert.Equal(body, Assert.Single(await _harness.ReceiveAsync()).Body);
    }

    [Fact]
    public async Task Ids_and_message_attributes_come_back_exactly_as_they_were_sent()
    {
        var attributes = new Dictionary<string, string>
        {
            ["connectionId"] = "Lx1pQdXgoAMCJhw=",
            ["requestId"] = "a&b=c+d%e\"f\\é𝄞",
        };
        var sent = await _harness.Queue.SendAsync(
            new OutgoingMessage("body", "group-é", "dedup-𝄞", attributes), CancellationToken.None);

        var received = Assert.Single(await _harness.ReceiveAsync());

        Assert.Equal(sent.MessageId, received.MessageId);
        Assert.True(Guid.TryParse(received.MessageId, out _));
        Assert.Equal(sent.SequenceNumber, received.SequenceNumber);
        Assert.Equal("group-é", received.MessageGroupId);
        Assert.Equal("dedup-𝄞", received.MessageDeduplicationId);
        Assert.Equal(attributes, received.MessageAttributes);
        Assert.Equal(_harness.Options.SenderId, received.SenderId);
    }

    public void Dispose() => _harness.Dispose();
}
