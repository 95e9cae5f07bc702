using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SocketRelay.Application.Ports;
using SocketRelay.Domain.Identifiers;
using SocketRelay.Domain.Messages;
using SocketRelay.Infrastructure;
using SocketRelay.Infrastructure.Serialization;
using SocketRelay.Lambda.Tests.Support;
using SocketRelay.LocalGateway.Lambda;
using SocketRelay.TestSupport;

namespace SocketRelay.Lambda.Tests;

/// <summary>
/// The reply logic registered in <see cref="ReplyLogic"/> is what both hosts run: the published AOT
/// <c>bootstrap</c> and an in-process execution environment of the local gateway answer the same batch
/// exactly as that handler, called directly, says they must. A host that composed the function
/// without <see cref="ReplyLogic.AddReplyLogic"/> has no handler and cannot start; one that registered
/// another handler answers differently.
/// </summary>
public class OneCompositionTests(AotFunctionFixture bootstrap) : IClassFixture<AotFunctionFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>Bodies of one message group: ordinary, structured, and input a business handler may reject.</summary>
    private static readonly string[] Bodies =
    [
        "{\"MessageGroupId\":\"one\",\"data\":\"hello world\"}",
        "{\"data\":[1,2,3.5]}",
        "{\"data\":\"oops\"}",
        "not json at all",
        "{\"data\":[0.1,0.2]}",
    ];

    [Fact]
    public async Task The_bootstrap_and_the_in_process_environment_both_answer_as_the_handler_registered_in_ReplyLogic()
    {
        var expected = await ExpectedAsync(BootstrapProcess.LambdaEnvironment("unused:1", new Uri("http://127.0.0.1:1/production")));

        var fromBootstrap = await RunAsync(bootstrap.Runtime, bootstrap.Connections, "aot");
        await using var runtime = await LocalRuntimeApi.StartAsync();
        await using var connections = await FakeConnectionsApi.StartAsync();
        await using (InProcessFunctionHost.Start(1, runtime.Address, BootstrapProcess.LambdaEnvironment(runtime.Address, connections.Endpoint), TextWriter.Null))
        {
            var fromInProcess = await RunAsync(runtime, connections, "local");

            Assert.Equal(expected, fromBootstrap);
            Assert.Equal(expected, fromInProcess);
        }
    }

    /// <summary>What the registered handler says each message gets: a reply, no reply, or parked alone.</summary>
    private static async Task<string[]> ExpectedAsync(Dictionary<string, string?> environment)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(environment).Build();
        await using var services = new ServiceCollection().AddLogging().AddReplyLogic(configuration).BuildServiceProvider();
        var handler = services.GetRequiredService<IReplyHandler>();
        var outcomes = new List<string>();
        for (var i = 0; i < Bodies.Length; i++)
        {
            var message = new QueuedMessage(
                MessageId.Create($"m{i}"), MessageGroupId.Create("G"), ConnectionId.Create($"conn-{i}"), RequestId.Create($"req-m{i}"), Bodies[i], ReceiveCount: 1);
            try
            {
                var reply = await handler.HandleAsync(message, CancellationToken.None);
                outcomes.Add(reply is null ? $"m{i}: no reply" : $"m{i}: {reply.RequestId.Value} -> {reply.ConnectionId.Value}: {reply.Message}");
            }
            catch (UnprocessableMessageException)
            {
                outcomes.Add($"m{i}: parked");
            }
        }

        return [.. outcomes];
    }

    /// <summary>Runs the batch through one host and describes, per message, what reached <c>@connections</c> or the batch response.</summary>
    private static async Task<string[]> RunAsync(LocalRuntimeApi runtime, FakeConnectionsApi connections, string prefix)
    {
        var batch = new SqsEventBuilder();
        for (var i = 0; i < Bodies.Length; i++)
        {
            batch.Message($"m{i}", $"{prefix}-G", $"{prefix}-conn-{i}", Bodies[i], requestId: $"req-m{i}");
        }

        var result = await runtime.InvokeAsync(batch.Build(), Timeout);

        Assert.Equal(InvocationOutcome.Response, result.Outcome);
        var failed = SqsEventBuilder.FailedIds(result);
        var outcomes = new List<string>();
        for (var i = 0; i < Bodies.Length; i++)
        {
            var posts = connections.Delivered.Where(p => p.ConnectionId == $"{prefix}-conn-{i}").ToList();
            if (failed.Contains($"m{i}"))
            {
                Assert.Empty(posts);
                outcomes.Add($"m{i}: parked");
                continue;
            }

            if (posts.Count == 0)
            {
                outcomes.Add($"m{i}: no reply");
                continue;
            }

            var post = Assert.Single(posts);
            var envelope = JsonSerializer.Deserialize(post.BodyText, SocketRelayJsonContext.Wire.ReplyEnvelope)!;
            Assert.Equal(post.ConnectionId, envelope.ConnectionId);
            outcomes.Add($"m{i}: {envelope.RequestId} -> {envelope.ConnectionId[(prefix.Length + 1)..]}: {envelope.Message}");
        }

        return [.. outcomes];
    }
}
