using System.Text.Json.Nodes;
using SocketRelay.LocalGateway.Queue;
using SocketRelay.LocalGateway.Queue.Sqs;

namespace SocketRelay.LocalGateway.Tests.Queue.Sqs;

public sealed class SqsReceiptHandleTests
{
    private const string Handle = "AQEBzWwaftRI0KuVm4tP+/7q1rGgNqicHq==";

    public static TheoryData<string, string, string> StaleHandleErrors => new()
    {
        { "ReceiptHandleIsInvalid", "ReceiptHandleIsInvalid", "The input receipt handle \"x\" is not a valid receipt handle." },
        { "InvalidParameterValue", "InvalidParameterValue", $"Value {Handle} for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired." },
    };

    [Fact]
    public async Task Delete_sends_the_receipt_handle_and_reports_success()
    {
        await using var harness = await SqsQueueHarness.StartAsync();
        harness.Endpoint.On("DeleteMessage", SqsReply.Ok());

        Assert.True(await harness.Queue.DeleteAsync(Handle, CancellationToken.None));

        var call = harness.Endpoint.Single("DeleteMessage");
        Assert.Equal(FakeSqsEndpoint.QueueUrl, call.Text("QueueUrl"));
        Assert.Equal(Handle, call.Text("ReceiptHandle"));
    }

    [Theory]
    [MemberData(nameof(StaleHandleErrors))]
    public async Task Delete_with_a_handle_SQS_no_longer_honours_returns_false(string shape, string code, string message)
    {
        await using var harness = await SqsQueueHarness.StartAsync();
        harness.Endpoint.On("DeleteMessage", SqsReply.Error(400, shape, code, message));

        Assert.False(await harness.Queue.DeleteAsync(Handle, CancellationToken.None));
        Assert.Equal(0, (await StatsWithoutRedriveAsync(harness)).Completed);
    }

    [Fact]
    public async Task Delete_surfaces_an_invalid_parameter_that_is_not_the_receipt_handle()
    {
        await using var harness = await SqsQueueHarness.StartAsync();
        harness.Endpoint.On("DeleteMessage", SqsReply.Error(400, "InvalidParameterValue", "InvalidParameterValue", "Value for parameter QueueUrl is invalid."));

        await Assert.ThrowsAsync<SqsQueueException>(() => harness.Queue.DeleteAsync(Handle, CancellationToken.None));
    }

    private static Task<QueueStats> StatsWithoutRedriveAsync(SqsQueueHarness harness)
    {
        harness.Endpoint.On("GetQueueAttributes", SqsReply.Ok(new JsonObject { ["Attributes"] = new JsonObject() }));
        return harness.Queue.GetStatsAsync(CancellationToken.None);
    }
}
