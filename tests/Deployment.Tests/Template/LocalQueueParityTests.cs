using System.Globalization;
using SocketRelay.Deployment.Tests.Support;
using SocketRelay.LocalGateway.Hosting;
using SocketRelay.LocalGateway.Queue;

namespace SocketRelay.Deployment.Tests.Template;

/// <summary>
/// The local queue keeps the deployed queue's semantics: every attribute serverless.yml gives the
/// message queue is read from the synthesized template and held against the local queue's defaults
/// and behaviour. An attribute added to the queue fails <see cref="Every_queue_attribute_is_held_against_the_local_queue"/>
/// until it is compared here, and the queue README says what the local queue does with it.
/// </summary>
public sealed class LocalQueueParityTests(SynthesizedTemplateFixture fixture) : IClassFixture<SynthesizedTemplateFixture>, IDisposable
{
    private static readonly string[] ComparedAttributes =
    [
        "QueueName", "FifoQueue", "ContentBasedDeduplication", "DeduplicationScope", "FifoThroughputLimit",
        "SqsManagedSseEnabled", "VisibilityTimeout", "RedrivePolicy",
    ];

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "socketrelay-parity-" + Guid.NewGuid().ToString("N"));

    private System.Text.Json.Nodes.JsonObject Queue => fixture.Template.Properties("MessageQueue");

    [Fact]
    public void Every_queue_attribute_is_held_against_the_local_queue()
    {
        // Not set, so SQS's defaults apply: no delivery delay (the local queue has none) and a 4-day
        // retention (the local queue keeps a message until it is deleted or dead-lettered; see the
        // queue README). Setting either one must come with a change here.
        Assert.Equal(ComparedAttributes.Order(StringComparer.Ordinal), Queue.Select(p => p.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Without_content_based_deduplication_every_local_send_needs_a_deduplication_id()
    {
        Assert.False((bool)Queue["ContentBasedDeduplication"]!);
        using var queue = Open(5);

        await Assert.ThrowsAsync<ArgumentException>(() => queue.SendAsync(Message("body", "group", ""), CancellationToken.None));
    }

    [Fact]
    public async Task Deduplication_is_per_message_group_in_both()
    {
        Assert.Equal("messageGroup", (string?)Queue["DeduplicationScope"]);
        using var queue = Open(5);

        var first = await queue.SendAsync(Message("one", "group-a", "request-1"), CancellationToken.None);
        var otherGroup = await queue.SendAsync(Message("two", "group-b", "request-1"), CancellationToken.None);
        var sameGroup = await queue.SendAsync(Message("three", "group-b", "request-1"), CancellationToken.None);

        Assert.False(first.IsDuplicate);
        Assert.False(otherGroup.IsDuplicate);
        Assert.True(sameGroup.IsDuplicate);
        Assert.Equal(TimeSpan.FromMinutes(5), SqliteFifoQueue.DeduplicationWindow);
    }

    [Fact]
    public void Throughput_is_limited_per_message_group_in_AWS_and_not_at_all_locally()
    {
        // High-throughput FIFO: the quota is per group, so one busy group does not slow the others.
        // The local queue has no quota at all (one machine's disk is the limit); the README says so.
        Assert.Equal("perMessageGroupId", (string?)Queue["FifoThroughputLimit"]);
    }

    [Fact]
    public void The_local_gateway_hides_a_received_message_for_six_function_timeouts_as_the_deployed_queue_does()
    {
        var deployedVisibility = int.Parse(fixture.Template.Evaluate(Queue["VisibilityTimeout"]), CultureInfo.InvariantCulture);
        var deployedFunctionTimeout = (int)fixture.Template.Properties("RelayLambdaFunction")["Timeout"]!;
        var local = new GatewayOptions();

        Assert.Equal(6 * deployedFunctionTimeout, deployedVisibility);
        Assert.Equal(6 * local.FunctionTimeoutSeconds, local.VisibilityTimeoutSeconds);
        Assert.True(TimeSpan.FromSeconds(deployedVisibility) <= SqliteFifoQueue.MaxVisibilityTimeout);
    }

    [Fact]
    public void The_local_queue_dead_letters_after_as_many_receives_as_the_deployed_redrive_policy()
    {
        var deployed = int.Parse(fixture.Template.Evaluate(Queue["RedrivePolicy"]!["maxReceiveCount"]), CultureInfo.InvariantCulture);

        Assert.Equal(deployed, new SqliteQueueOptions().MaxReceiveCount);
        Assert.Equal(deployed, new GatewayOptions().MaxReceiveCount);
        Assert.True((bool)fixture.Template.Properties("DeadLetterQueue")["FifoQueue"]!);
    }

    public void Dispose()
    {
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    private SqliteFifoQueue Open(int maxReceiveCount) =>
        SqliteFifoQueue.Open(new SqliteQueueOptions { DataDirectory = _dataDirectory, MaxReceiveCount = maxReceiveCount }, TimeProvider.System);

    private static OutgoingMessage Message(string body, string group, string deduplicationId) =>
        new(body, group, deduplicationId, new Dictionary<string, string>());
}
