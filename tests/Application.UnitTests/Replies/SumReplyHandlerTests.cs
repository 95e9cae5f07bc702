using NSubstitute;
using SocketRelay.Application.Ports;
using SocketRelay.Application.Replies;
using SocketRelay.Application.UnitTests.Batches;
using SocketRelay.Domain.Identifiers;
using SocketRelay.Domain.Messages;
using static SocketRelay.Application.UnitTests.Batches.BatchFixture;

namespace SocketRelay.Application.UnitTests.Replies;

/// <summary>The README's worked example: its replies, its bad input, and how the batch treats each.</summary>
public class SumReplyHandlerTests
{
    private static QueuedMessage Queued(string body) => new(
        MessageId.Create("m1"), MessageGroupId.Create("calc"), ConnectionId.Create("conn-1"), RequestId.Create("req-1"), body, ReceiveCount: 1);

    [Theory]
    [InlineData("{\"MessageGroupId\":\"calc\",\"data\":[1,2,3.5]}", "{\"sum\":6.5}")]
    [InlineData("{\"data\":[0.1,0.2]}", "{\"sum\":0.3}")]
    [InlineData("{\"data\":[-4,4]}", "{\"sum\":0}")]
    [InlineData("{\"data\":[]}", "{\"sum\":0}")]
    public async Task Replies_to_the_sender_with_the_total_of_the_data_array(string body, string expected)
    {
        var reply = await new SumReplyHandler().HandleAsync(Queued(body), CancellationToken.None);

        Assert.Equal(new Reply(ConnectionId.Create("conn-1"), RequestId.Create("req-1"), expected), reply);
    }

    [Theory]
    [InlineData("not json", "the body is not JSON")]
    [InlineData("[1,2]", "the body has no \"data\" array")]
    [InlineData("{\"data\":\"1,2\"}", "the body has no \"data\" array")]
    [InlineData("{\"numbers\":[1]}", "the body has no \"data\" array")]
    [InlineData("{\"data\":[1,\"2\"]}", "data[1] is not a number in the decimal range")]
    [InlineData("{\"data\":[1e300]}", "data[0] is not a number in the decimal range")]
    [InlineData("{\"data\":[79228162514264337593543950335,1]}", "the total overflows a decimal")]
    public async Task Input_it_can_never_process_is_reported_as_unprocessable(string body, string reason)
    {
        var error = await Assert.ThrowsAsync<UnprocessableMessageException>(
            async () => await new SumReplyHandler().HandleAsync(Queued(body), CancellationToken.None));

        Assert.Equal(reason, error.Message);
    }

    [Fact]
    public async Task In_a_batch_a_bad_body_is_parked_alone_and_the_rest_of_its_group_is_answered_in_order()
    {
        var fixture = new BatchFixture { ReplyHandler = new SumReplyHandler() };

        var result = await fixture.RunAsync([
            Message("c1", "calc", body: "{\"data\":[1,2,3.5]}"),
            Message("c2", "calc", body: "{\"data\":\"oops\"}"),
            Message("c3", "calc", body: "{\"data\":[0.1,0.2]}"),
        ]);

        Assert.Equal(["c2"], result.FailedIds());
        Assert.Equal(["c1", "c3"], fixture.Sent);
        await fixture.Notifier.Received(1).SendAsync(
            Arg.Is<Reply>(r => r.RequestId.Value == "c1" && r.Message == "{\"sum\":6.5}"), Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>());
        await fixture.Notifier.Received(1).SendAsync(
            Arg.Is<Reply>(r => r.RequestId.Value == "c3" && r.Message == "{\"sum\":0.3}"), Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>());
    }
}
