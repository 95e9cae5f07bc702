using System.Text.Json;
using SocketRelay.Infrastructure.Serialization;
using SocketRelay.Lambda.Tests.Support;
using SocketRelay.LocalGateway.Lambda;
using SocketRelay.TestSupport;

namespace SocketRelay.Lambda.Tests;

/// <summary>The Native AOT bootstrap, published and run as Lambda runs it, against a local Runtime API.</summary>
public class AotFunctionTests(AotFunctionFixture fixture) : IClassFixture<AotFunctionFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private const string SpecialBody = "{\"data\":\"& + % = \\\" \\\\ é 𝄞 %2B a=b&MessageAttribute.1.Value.StringValue=x\"}";

    [Fact]
    public async Task A_mixed_batch_reports_exactly_what_must_be_redelivered_and_answers_everyone_else()
    {
        var connections = fixture.Connections;
        connections.Answer("e2e-gone", 410);
        connections.Answer("e2e-broken", 500);
        var batch = new SqsEventBuilder()
            .Message("a1", "A", "e2e-ok", "{\"n\":1}")
            .Message("b1", "B", "e2e-broken", "{\"n\":2}")
            .Message("a2", "A", "e2e-gone", "{\"n\":3}")
            .Message("c1", "C", connectionId: null, "{\"poison\":true}")
            .Message("b2", "B", "e2e-later", "{\"n\":4}")
            .Message("a3", "A", "e2e-ok", "{\"n\":5}")
            .Message("c2", "C", "e2e-after-poison", "{\"n\":6}")
            .Message("d1", "D", "e2e-special", SpecialBody)
            .Build();

        var result = await fixture.Runtime.InvokeAsync(batch, Timeout);

        Assert.Equal(InvocationOutcome.Response, result.Outcome);
        // The malformed c1 is parked alone (ADR-008): c2 after it is answered.
        Assert.Equal(["b1", "c1", "b2"], SqsEventBuilder.FailedIds(result));
        Assert.Equal(["{\"n\":1}", "{\"n\":5}"], Replies("e2e-ok").Select(r => r.Message));
        Assert.Equal(5, connections.Requests.Count(r => r.ConnectionId == "e2e-broken")); // 1 + 4 retries
        Assert.DoesNotContain(connections.Requests, r => r.ConnectionId == "e2e-later");
        Assert.Equal(["{\"n\":6}"], Replies("e2e-after-poison").Select(r => r.Message));
        Assert.Contains(connections.Requests, r => r.ConnectionId == "e2e-gone");

        var special = Assert.Single(Replies("e2e-special"));
        Assert.Equal(SpecialBody, special.Message);
        Assert.Equal("e2e-special", special.ConnectionId);
        Assert.Equal("req-d1", special.RequestId);
    }

    [Fact]
    public async Task Replies_are_signed_for_execute_api_with_the_session_token()
    {
        await fixture.Runtime.InvokeAsync(new SqsEventBuilder().Message("s1", "S", "e2e-signed", "{}").Build(), Timeout);

        var post = Assert.Single(fixture.Connections.Delivered, p => p.ConnectionId == "e2e-signed");
        Assert.StartsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/", post.Headers["Authorization"], StringComparison.Ordinal);
        Assert.Contains("/us-east-1/execute-api/aws4_request", post.Headers["Authorization"], StringComparison.Ordinal);
        Assert.Equal("session-token", post.Headers["X-Amz-Security-Token"]);
    }

    [Fact]
    public async Task A_malformed_event_is_an_invocation_error_and_the_function_serves_the_next_event()
    {
        var malformed = await fixture.Runtime.InvokeAsync("{\"Records\": 42}"u8.ToArray(), Timeout);
        var next = await fixture.Runtime.InvokeAsync(new SqsEventBuilder().Message("n1", "N", "e2e-next", "{}").Build(), Timeout);

        Assert.Equal(InvocationOutcome.Error, malformed.Outcome);
        Assert.Equal("SocketRelay.MalformedEvent", malformed.ErrorType);
        using var error = JsonDocument.Parse(malformed.Payload);
        Assert.Contains("not an SQS event", error.RootElement.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
        Assert.Equal(InvocationOutcome.Response, next.Outcome);
        Assert.Empty(SqsEventBuilder.FailedIds(next));
        Assert.Single(Replies("e2e-next"));
    }

    [Fact]
    public async Task A_slow_connection_near_the_deadline_is_reported_failed_before_the_deadline()
    {
        fixture.Connections.Delay("e2e-slow", TimeSpan.FromSeconds(20));
        var batch = new SqsEventBuilder()
            .Message("t1", "T", "e2e-slow", "{}")
            .Message("t2", "T", "e2e-after-slow", "{}")
            .Message("u1", "U", "e2e-fast", "{}")
            .Build();

        var result = await fixture.Runtime.InvokeAsync(batch, TimeSpan.FromSeconds(4));

        Assert.Equal(InvocationOutcome.Response, result.Outcome);
        Assert.True(result.AnsweredAt < result.Deadline, $"answered at {result.AnsweredAt:O}, deadline {result.Deadline:O}");
        Assert.Equal(["t1", "t2"], SqsEventBuilder.FailedIds(result));
        Assert.Single(Replies("e2e-fast"));
    }

    [Fact]
    public async Task Stdout_is_only_powertools_json_lines_filterable_by_connection_and_request_id()
    {
        fixture.Connections.Answer("e2e-log-gone", 410);
        var result = await fixture.Runtime.InvokeAsync(new SqsEventBuilder().Message("l1", "L", "e2e-log-gone", "{\"secret\":\"body\"}").Build(), Timeout);

        var lines = PowertoolsLogSchema.AssertLines(fixture.Function.StandardOutput);
        var gone = Assert.Single(lines, l => Text(l, "connection_id") == "e2e-log-gone" && Text(l, "message")!.Contains("gone", StringComparison.Ordinal));
        Assert.Equal(result.RequestId, Text(gone, "function_request_id"));
        Assert.Equal("socketrelay-test", Text(gone, "service"));
        Assert.Equal("Information", Text(gone, "level"));
        Assert.Equal("socketrelay", Text(gone, "function_name"));
        Assert.Equal(256, gone.GetProperty("function_memory_size").GetInt32());
        Assert.Equal(fixture.Runtime.FunctionArn, Text(gone, "function_arn"));
        Assert.Equal("req-l1", Text(gone, "request_id"));
        Assert.Equal("l1", Text(gone, "message_id"));
        Assert.Equal("L", Text(gone, "message_group_id"));
        Assert.True(gone.TryGetProperty("xray_trace_id", out _));
        Assert.DoesNotContain(fixture.Function.StandardOutput, line => line.Contains("secret", StringComparison.Ordinal));
    }

    private IEnumerable<ReplyEnvelope> Replies(string connectionId) =>
        fixture.Connections.Delivered.Where(p => p.ConnectionId == connectionId)
            .Select(p => JsonSerializer.Deserialize(p.BodyText, SocketRelayJsonContext.Wire.ReplyEnvelope)!);

    private static string? Text(JsonElement line, string name) =>
        line.TryGetProperty(name, out var value) ? value.GetString() : null;
}
