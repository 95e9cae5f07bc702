using System.Text.Json;
using SocketRelay.Lambda.Tests.Support;
using SocketRelay.LocalGateway.Lambda;
using SocketRelay.TestSupport;

namespace SocketRelay.Lambda.Tests;

/// <summary>
/// The function's Embedded Metric Format lines as the composition writes them: several execution
/// environments in one process (the local gateway's in-process host), each publishing exactly its
/// own invocations.
/// </summary>
public sealed class EmbeddedMetricsTests : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly string[] Counters = ["BatchItemFailures", "ConnectionsGone", "MessagesParked", "NotificationRetries", "RepliesDelivered"];
    private readonly StringWriter _output = new();
    private LocalRuntimeApi _runtime = null!;
    private FakeConnectionsApi _connections = null!;
    private InProcessFunctionHost _function = null!;

    public async Task InitializeAsync()
    {
        _runtime = await LocalRuntimeApi.StartAsync();
        _connections = await FakeConnectionsApi.StartAsync();
        _function = InProcessFunctionHost.Start(2, _runtime.Address, BootstrapProcess.LambdaEnvironment(_runtime.Address, _connections.Endpoint), TextWriter.Synchronized(_output));
    }

    public async Task DisposeAsync()
    {
        await _function.DisposeAsync();
        await _runtime.DisposeAsync();
        await _connections.DisposeAsync();
    }

    public void Dispose() => _output.Dispose();

    [Fact]
    public async Task Concurrent_environments_in_one_process_each_write_exactly_their_own_invocations_outcomes()
    {
        _connections.Delay("slow", TimeSpan.FromSeconds(1));
        _connections.Answer("left", 410);
        _connections.Answer("too-large", 413);
        var first = _runtime.InvokeAsync(new SqsEventBuilder().Message("a1", "A", "slow", "{}").Message("a2", "B", "fine", "{}").Build(), Timeout);
        await Eventually.TrueAsync(() => _connections.Requests.Any(r => r.ConnectionId == "slow"), Timeout, "the first batch's slow post");
        var second = await _runtime.InvokeAsync(
            new SqsEventBuilder().Message("b1", "C", "left", "{}").Message("b2", "D", "too-large", "{}").Message("b3", "E", "fine", "{}").Build(), Timeout);
        await first;

        // Flushed before the response is posted: the lines are there as soon as the answers are.
        var lines = _output.ToString().Split('\n').Where(l => l.Contains("\"_aws\"", StringComparison.Ordinal)).Select(EmfSpecification.AssertValid).ToList();
        var coldStarts = lines.Where(l => l.TryGetProperty("ColdStart", out _)).ToList();
        Assert.Equal(2, coldStarts.Count);
        Assert.All(coldStarts, l => Assert.Equal("socketrelay", l.GetProperty("function_name").GetString()));
        var invocations = lines.Except(coldStarts).Select(Counts).OrderBy(c => c).ToList();
        Assert.Equal(
            [
                "BatchItemFailures=0 ConnectionsGone=0 MessagesParked=0 NotificationRetries=0 RepliesDelivered=2",
                "BatchItemFailures=1 ConnectionsGone=1 MessagesParked=1 NotificationRetries=0 RepliesDelivered=1",
            ],
            invocations);
        Assert.All(lines, l => Assert.Equal("socketrelay-test", l.GetProperty("service").GetString()));
        Assert.Equal(["b2"], SqsEventBuilder.FailedIds(second));
    }

    /// <summary>The counters of one line, by name, as one comparable string.</summary>
    internal static string Counts(JsonElement line) =>
        string.Join(' ', Counters.Select(name => $"{name}={line.GetProperty(name).GetDouble()}"));
}
