using Amazon.SQS;
using SocketRelay.LocalGateway.Queue;
using SocketRelay.LocalGateway.Queue.Sqs;

namespace SocketRelay.LocalGateway.Tests.Queue.Moto;

/// <summary>
/// The <c>--queue sqs</c> adapter against moto's SQS FIFO queue. One receiver at a time: moto 5.2's
/// ReceiveMessage is not atomic across concurrent receivers (two can take messages of one group at
/// once), which real SQS does not allow, so concurrency is left to the SQLite queue's own tests.
/// </summary>
[Collection(MotoServerGroup.Name)]
public sealed class MotoQueueTests(MotoServer moto) : IDisposable
{
    private static readonly TimeSpan Visibility = TimeSpan.FromSeconds(60);
    private readonly AmazonSQSClient _client = moto.CreateClient();

    [Fact]
    public async Task Each_group_is_received_in_the_order_it_was_sent()
    {
        var queue = await OpenAsync(maxReceiveCount: 5);
        string[] groups = ["alpha", "beta", "gamma", "delta"];
        for (var i = 0; i < 8; i++)
        {
            foreach (var group in groups)
            {
                await SendAsync(queue, $"{group}-{i}", group);
            }
        }

        var received = new List<ReceivedMessage>();
        while (received.Count < groups.Length * 8)
        {
            var batch = await queue.ReceiveAsync(10, Visibility, TimeSpan.FromSeconds(1), CancellationToken.None);
            Assert.NotEmpty(batch);
            received.AddRange(batch);
            Assert.All(await queue.DeleteBatchAsync([.. batch.Select(m => m.ReceiptHandle)], CancellationToken.None), Assert.True);
        }

        foreach (var group in groups)
        {
            Assert.Equal(
                Enumerable.Range(0, 8).Select(i => $"{group}-{i}"),
                received.Where(m => m.MessageGroupId == group).Select(m => m.Body));
        }
    }

    [Fact]
    public async Task A_group_with_a_message_in_flight_delivers_nothing_more_until_it_is_deleted()
    {
        var queue = await OpenAsync(maxReceiveCount: 5);
        await SendAsync(queue, "a1", "a");
        await SendAsync(queue, "a2", "a");
        await SendAsync(queue, "b1", "b");

        var first = Assert.Single(await ReceiveAsync(queue, 1));
        var second = Assert.Single(await ReceiveAsync(queue, 1));
        var whileLocked = await ReceiveAsync(queue, 10);
        Assert.True(await queue.DeleteAsync(first.ReceiptHandle, CancellationToken.None));
        var afterDelete = await ReceiveAsync(queue, 10);

        Assert.Equal(["a1", "b1"], [first.Body, second.Body]);
        Assert.Empty(whileLocked);
        Assert.Equal(["a2"], afterDelete.Select(m => m.Body));
    }

    [Fact]
    public async Task A_message_received_maxReceiveCount_times_moves_to_the_dead_letter_queue_and_its_group_goes_on()
    {
        var queueUrl = await MotoServer.CreateFifoQueueAsync(_client, maxReceiveCount: 2);
        var queue = moto.OpenQueue(_client, queueUrl);
        await SendAsync(queue, "poison", "g");
        await SendAsync(queue, "next", "g");

        var counts = new List<int>();
        for (var receive = 0; receive < 2; receive++)
        {
            var poison = (await ReceiveAsync(queue, 1)).Single(m => m.Body == "poison");
            counts.Add(poison.ApproximateReceiveCount);
            await ExpireLeaseAsync(queueUrl, poison);
        }

        var afterRedrive = await ReceiveAsync(queue, 10);
        var stats = await queue.GetStatsAsync(CancellationToken.None);
        var deadLetters = await ReceiveFromDeadLetterQueueAsync(queueUrl);

        Assert.Equal([1, 2], counts);
        Assert.Equal(["next"], afterRedrive.Select(m => m.Body));
        Assert.Equal(1, stats.DeadLetterQueueDepth);
        var deadLetter = Assert.Single(deadLetters);
        Assert.Equal("poison", deadLetter.Body);
        Assert.Equal("g", deadLetter.Attributes["MessageGroupId"]);
    }

    [Fact]
    public async Task The_status_counters_follow_sends_receives_and_deletes()
    {
        var queue = await OpenAsync(maxReceiveCount: 5);
        await SendAsync(queue, "one", "a");
        await SendAsync(queue, "two", "b");
        await SendAsync(queue, "three", "c");

        var start = await queue.GetStatsAsync(CancellationToken.None);
        var received = await ReceiveAsync(queue, 2);
        var inFlight = await queue.GetStatsAsync(CancellationToken.None);
        await queue.DeleteBatchAsync([.. received.Select(m => m.ReceiptHandle)], CancellationToken.None);
        var done = await queue.GetStatsAsync(CancellationToken.None);

        Assert.Equal(new QueueStats(Accepted: 3, Completed: 0, QueueDepth: 3, InFlight: 0, DeadLetterQueueDepth: 0), start);
        Assert.Equal(new QueueStats(Accepted: 3, Completed: 0, QueueDepth: 1, InFlight: 2, DeadLetterQueueDepth: 0), inFlight);
        Assert.Equal(new QueueStats(Accepted: 3, Completed: 2, QueueDepth: 1, InFlight: 0, DeadLetterQueueDepth: 0), done);
    }

    [Fact]
    public async Task A_batch_delete_deletes_the_fresh_handles_and_refuses_a_stale_one()
    {
        var queueUrl = await MotoServer.CreateFifoQueueAsync(_client, maxReceiveCount: 5);
        var queue = moto.OpenQueue(_client, queueUrl);
        await SendAsync(queue, "x", "x");
        await SendAsync(queue, "y", "y");
        var first = await ReceiveAsync(queue, 10);
        await ExpireLeaseAsync(queueUrl, first.Single(m => m.Body == "x"));
        var again = (await ReceiveAsync(queue, 10)).Single(m => m.Body == "x");

        var deleted = await queue.DeleteBatchAsync(
            [first.Single(m => m.Body == "y").ReceiptHandle, "not-a-receipt-handle", again.ReceiptHandle],
            CancellationToken.None);

        Assert.Equal([true, false, true], deleted);
        Assert.Equal(new QueueStats(2, 2, 0, 0, 0), await queue.GetStatsAsync(CancellationToken.None));
    }

    public void Dispose() => _client.Dispose();

    /// <summary>What the end of a visibility timeout does, without waiting for it: the message is visible again.</summary>
    private async Task ExpireLeaseAsync(string queueUrl, ReceivedMessage message) =>
        await _client.ChangeMessageVisibilityAsync(queueUrl, message.ReceiptHandle, 0);

    /// <summary>Looks into the dead-letter queue as an operator does: a receive that hides nothing.</summary>
    private async Task<List<Amazon.SQS.Model.Message>> ReceiveFromDeadLetterQueueAsync(string queueUrl)
    {
        var redrivePolicy = (await _client.GetQueueAttributesAsync(queueUrl, ["RedrivePolicy"])).Attributes["RedrivePolicy"];
        var deadLetterArn = System.Text.Json.JsonDocument.Parse(redrivePolicy).RootElement.GetProperty("deadLetterTargetArn").GetString()!;
        var deadLetterUrl = (await _client.GetQueueUrlAsync(deadLetterArn.Split(':')[^1])).QueueUrl;
        var response = await _client.ReceiveMessageAsync(new Amazon.SQS.Model.ReceiveMessageRequest
        {
            QueueUrl = deadLetterUrl,
            MaxNumberOfMessages = 10,
            VisibilityTimeout = 0,
            MessageSystemAttributeNames = ["All"],
        });
        return response.Messages ?? [];
    }

    private async Task<SqsFifoQueue> OpenAsync(int maxReceiveCount) =>
        moto.OpenQueue(_client, await MotoServer.CreateFifoQueueAsync(_client, maxReceiveCount));

    private static Task<SendResult> SendAsync(SqsFifoQueue queue, string body, string group) =>
        queue.SendAsync(new OutgoingMessage(body, group, Guid.NewGuid().ToString("N"), new Dictionary<string, string>()), CancellationToken.None);

    private static Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(SqsFifoQueue queue, int maxMessages) =>
        queue.ReceiveAsync(maxMessages, Visibility, TimeSpan.Zero, CancellationToken.None);
}

public sealed class MotoServerLocationTests
{
    [Fact]
    public void Without_moto_server_on_the_path_the_tests_fail_naming_it()
    {
        var error = Assert.Throws<InvalidOperationException>(() => MotoServer.Locate(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"))));

        Assert.Contains("moto_server is not on PATH", error.Message, StringComparison.Ordinal);
    }
}
