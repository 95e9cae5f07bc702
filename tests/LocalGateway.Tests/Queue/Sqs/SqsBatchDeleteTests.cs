using System.Text.Json;
using System.Text.Json.Nodes;
using SocketRelay.LocalGateway.Queue.Sqs;

namespace SocketRelay.LocalGateway.Tests.Queue.Sqs;

/// <summary>The poller's delete path on SQS: <c>DeleteMessageBatch</c>, ten entries per request.</summary>
public sealed class SqsBatchDeleteTests
{
    [Fact]
    public async Task A_batch_delete_is_one_DeleteMessageBatch_request_with_every_handle()
    {
        await using var harness = await SqsQueueHarness.StartAsync();
        harness.Endpoint.On("DeleteMessageBatch", AllSucceed);

        var deleted = await harness.Queue.DeleteBatchAsync(["handle-a", "handle-b", "handle-c"], CancellationToken.None);

        Assert.Equal([true, true, true], deleted);
        var call = harness.Endpoint.Single("DeleteMessageBatch");
        Assert.Equal(FakeSqsEndpoint.QueueUrl, call.Text("QueueUrl"));
        Assert.Equal(["handle-a", "handle-b", "handle-c"], Handles(call.Body));
        Assert.DoesNotContain(harness.Endpoint.Calls, c => c.Operation == "DeleteMessage");
        Assert.Equal(3, (await StatsAsync(harness)).Completed);
    }

    [Fact]
    public async Task More_than_ten_handles_go_in_requests_of_at_most_ten()
    {
        await using var harness = await SqsQueueHarness.StartAsync();
        harness.Endpoint.On("DeleteMessageBatch", AllSucceed);
        var handles = Enumerable.Range(0, 23).Select(i => $"handle-{i}").ToList();

        var deleted = await harness.Queue.DeleteBatchAsync(handles, CancellationToken.None);

        Assert.All(deleted, Assert.True);
        var calls = harness.Endpoint.Calls.Where(c => c.Operation == "DeleteMessageBatch").ToList();
        Assert.Equal([10, 10, 3], calls.Select(c => Handles(c.Body).Length));
        Assert.Equal(handles, calls.SelectMany(c => Handles(c.Body)));
    }

    [Fact]
    public async Task An_entry_refused_for_a_stale_handle_is_false_and_the_others_are_deleted()
    {
        await using var harness = await SqsQueueHarness.StartAsync();
        harness.Endpoint.On("DeleteMessageBatch", request => Answer(request, (id, handle) => handle == "stale"
            ? new JsonObject { ["Id"] = id, ["SenderFault"] = true, ["Code"] = "ReceiptHandleIsInvalid", ["Message"] = "The input receipt handle is not a valid receipt handle." }
            : null));

        var deleted = await harness.Queue.DeleteBatchAsync(["fresh-1", "stale", "fresh-2"], CancellationToken.None);

        Assert.Equal([true, false, true], deleted);
        Assert.Equal(2, (await StatsAsync(harness)).Completed);
    }

    [Fact]
    public async Task An_entry_refused_for_another_reason_surfaces_with_SQS_s_code()
    {
        await using var harness = await SqsQueueHarness.StartAsync();
        harness.Endpoint.On("DeleteMessageBatch", request => Answer(request, (id, _) =>
            new JsonObject { ["Id"] = id, ["SenderFault"] = false, ["Code"] = "InternalError", ["Message"] = "We encountered an internal error." }));

        var error = await Assert.ThrowsAsync<SqsQueueException>(() => harness.Queue.DeleteBatchAsync(["handle-a"], CancellationToken.None));

        Assert.Equal("InternalError", error.ErrorCode);
        Assert.Contains("DeleteMessageBatch", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_batch_sends_nothing()
    {
        await using var harness = await SqsQueueHarness.StartAsync();

        Assert.Empty(await harness.Queue.DeleteBatchAsync([], CancellationToken.None));
        Assert.Empty(harness.Endpoint.Calls);
    }

    private static SqsReply AllSucceed(JsonElement request) => Answer(request, (_, _) => null);

    /// <summary>SQS's answer: each entry in <c>Successful</c> unless <paramref name="fail"/> gives its failure.</summary>
    private static SqsReply Answer(JsonElement request, Func<string, string, JsonObject?> fail)
    {
        var successful = new JsonArray();
        var failed = new JsonArray();
        foreach (var entry in request.GetProperty("Entries").EnumerateArray())
        {
            var id = entry.GetProperty("Id").GetString()!;
            if (fail(id, entry.GetProperty("ReceiptHandle").GetString()!) is { } failure)
            {
                failed.Add(failure);
            }
            else
            {
                successful.Add(new JsonObject { ["Id"] = id });
            }
        }

        return SqsReply.Ok(new JsonObject { ["Successful"] = successful, ["Failed"] = failed });
    }

    private static string[] Handles(JsonElement body) =>
        [.. body.GetProperty("Entries").EnumerateArray().Select(e => e.GetProperty("ReceiptHandle").GetString()!)];

    private static async Task<SocketRelay.LocalGateway.Queue.QueueStats> StatsAsync(SqsQueueHarness harness)
    {
        harness.Endpoint.On("GetQueueAttributes", SqsReply.Ok(new JsonObject { ["Attributes"] = new JsonObject() }));
        return await harness.Queue.GetStatsAsync(CancellationToken.None);
    }
}
