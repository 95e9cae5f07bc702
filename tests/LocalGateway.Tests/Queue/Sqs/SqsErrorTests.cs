using System.Text.Json.Nodes;
using SocketRelay.LocalGateway.Queue.Sqs;

namespace SocketRelay.LocalGateway.Tests.Queue.Sqs;

public sealed class SqsErrorTests
{
    [Fact]
    public async Task A_missing_queue_surfaces_with_SQS_s_error_code_the_operation_and_the_queue()
    {
        await using var harness = await SqsQueueHarness.StartAsync();
        harness.Endpoint.On("SendMessage", SqsReply.Error(
            400, "QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue", "The specified queue does not exist."));

        var error = await Assert.ThrowsAsync<SqsQueueException>(() => harness.SendAsync("hello"));

        Assert.Equal("AWS.SimpleQueueService.NonExistentQueue", error.ErrorCode);
        Assert.Contains("AWS.SimpleQueueService.NonExistentQueue", error.Message, StringComparison.Ordinal);
        Assert.Contains("SendMessage", error.Message, StringComparison.Ordinal);
        Assert.Contains(FakeSqsEndpoint.QueueUrl, error.Message, StringComparison.Ordinal);
        Assert.Contains("The specified queue does not exist.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_receive_surfaces_rather_than_reading_as_an_empty_queue()
    {
        await using var harness = await SqsQueueHarness.StartAsync();
        harness.Endpoint.On("ReceiveMessage", SqsReply.Error(
            403, "AccessDenied", "AccessDenied", "User is not authorized to perform: sqs:receivemessage"));

        var error = await Assert.ThrowsAsync<SqsQueueException>(() =>
            harness.Queue.ReceiveAsync(10, TimeSpan.FromSeconds(30), TimeSpan.Zero, CancellationToken.None));

        Assert.Equal("AccessDenied", error.ErrorCode);
        Assert.Contains("HTTP 403", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dead_letter_target_that_is_not_an_SQS_ARN_is_reported()
    {
        await using var harness = await SqsQueueHarness.StartAsync();
        harness.Endpoint.On("GetQueueAttributes", SqsReply.Ok(new JsonObject
        {
            ["Attributes"] = new JsonObject { ["RedrivePolicy"] = "{\"deadLetterTargetArn\":\"arn:aws:sns:eu-west-1:1:topic\"}" },
        }));

        var error = await Assert.ThrowsAsync<SqsQueueException>(() => harness.Queue.GetStatsAsync(CancellationToken.None));

        Assert.Contains("arn:aws:sns:eu-west-1:1:topic", error.Message, StringComparison.Ordinal);
    }
}
