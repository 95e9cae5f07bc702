using SocketRelay.Domain.Delivery;
using SocketRelay.Domain.Identifiers;
using SocketRelay.Domain.Messages;

namespace SocketRelay.Domain.UnitTests;

public class ReplyTests
{
    [Fact]
    public void Echo_answers_the_sender_with_its_request_id_and_the_body_unchanged()
    {
        const string body = "{\"MessageGroupId\":\"test\",\"data\":\"hello world & + % = é 𝄞\"}";
        var message = new QueuedMessage(
            MessageId.Create("m-1"),
            MessageGroupId.Create("test"),
            ConnectionId.Create("L0SM9cOFvHcCIhw="),
            RequestId.Create("L0SM9GRkvHcFhWg="),
            body,
            ReceiveCount: 1);

        var reply = Reply.EchoOf(message);

        Assert.Equal(message.ConnectionId, reply.ConnectionId);
        Assert.Equal(message.RequestId, reply.RequestId);
        Assert.Equal(body, reply.Message);
    }

    [Theory]
    [InlineData(DeliveryOutcome.Delivered, true)]
    [InlineData(DeliveryOutcome.Gone, true)]
    [InlineData(DeliveryOutcome.FailedTransient, false)]
    [InlineData(DeliveryOutcome.FailedPermanent, false)]
    public void Delivered_and_gone_are_done_failures_are_not(DeliveryOutcome outcome, bool done)
    {
        Assert.Equal(done, new DeliveryResult(outcome).IsDone);
    }
}
