using System.Globalization;
using System.Text.Json;
using Amazon.Runtime;
using Microsoft.Extensions.Logging;
using Serilog.Events;
using Serilog.Parsing;
using SocketRelay.Infrastructure.Connections;
using SocketRelay.Infrastructure.Logging;
using SocketRelay.Infrastructure.Tests.Connections;
using SocketRelay.TestSupport;

namespace SocketRelay.Infrastructure.Tests.Logging;

/// <summary>One output case for every key, as Powertools writes its keys: snake_case, whatever the code that logged.</summary>
public sealed partial class LogKeySchemaTests
{
    [Theory]
    [InlineData("connection_id", "connection_id")]
    [InlineData("ConnectionId", "connection_id")]
    [InlineData("connectionId", "connection_id")]
    [InlineData("StatusCode", "status_code")]
    [InlineData("HTTPStatusCode", "http_status_code")]
    [InlineData("XRayTraceId", "x_ray_trace_id")]
    [InlineData("Sha256Hash", "sha256_hash")]
    [InlineData("retry-after", "retry_after")]
    [InlineData("Retry After", "retry_after")]
    [InlineData("@Timestamp", "_timestamp")]
    [InlineData("Größe", "gr_e")]
    [InlineData("_aws", "_aws")]
    [InlineData("ÄÖ", "_")]
    [InlineData("", "_")]
    public void A_property_name_becomes_a_snake_case_key(string name, string key)
    {
        Assert.Equal(key, LambdaLogKeys.FromPropertyName(name));
        Assert.Matches(SnakeCaseKey(), key);
    }

    [Fact]
    public void The_formatter_writes_every_key_snake_case_for_PascalCase_properties_nested_members_dictionaries_and_exceptions()
    {
        var attempt = new StructureValue(
            [
                new LogEventProperty("StatusCode", new ScalarValue(410)),
                new LogEventProperty("RetryAfter", new ScalarValue(null)),
                new LogEventProperty("Headers", new DictionaryValue([new(new ScalarValue("Content-Type"), new ScalarValue("application/json"))])),
            ],
            typeTag: "DeliveryAttempt");
        var logEvent = new LogEvent(
            DateTimeOffset.UnixEpoch,
            LogEventLevel.Error,
            new InvalidOperationException("handler failed", new TimeoutException("socket timed out")),
            new MessageTemplateParser().Parse("Attempt to {ConnectionId} ended {Outcome}"),
            [
                new LogEventProperty("ConnectionId", new ScalarValue("L0SM9cOFvHcCIhw=")),
                new LogEventProperty("Outcome", new ScalarValue("Gone")),
                new LogEventProperty("Attempt", attempt),
                new LogEventProperty("Attempts", new SequenceValue([attempt])),
                new LogEventProperty("SourceContext", new ScalarValue("SocketRelay.Tests")),
            ]);

        var line = Format(logEvent);

        PowertoolsLogSchema.AssertKeys(line);
        Assert.Equal("Attempt to L0SM9cOFvHcCIhw= ended Gone", line.GetProperty("message").GetString());
        Assert.Equal("SocketRelay.Tests", line.GetProperty("name").GetString());
        Assert.Equal("L0SM9cOFvHcCIhw=", line.GetProperty("connection_id").GetString());
        Assert.Equal("Gone", line.GetProperty("outcome").GetString());
        var nested = line.GetProperty("attempt");
        Assert.Equal(410, nested.GetProperty("status_code").GetInt32());
        Assert.Equal(JsonValueKind.Null, nested.GetProperty("retry_after").ValueKind);
        Assert.Equal("application/json", nested.GetProperty("headers").GetProperty("content_type").GetString());
        Assert.Equal(["status_code", "retry_after", "headers"], nested.EnumerateObject().Select(member => member.Name));
        Assert.Equal(410, line.GetProperty("attempts")[0].GetProperty("status_code").GetInt32());
        Assert.Equal("socket timed out", line.GetProperty("exception").GetProperty("inner_exception").GetProperty("message").GetString());
    }

    [Fact]
    public void A_template_placeholder_and_a_scope_key_naming_the_same_fact_reach_the_line_as_one_key()
    {
        using var logs = new CapturedLambdaLogs();
        var logger = logs.Logger<LogKeySchemaTests>();

        using (logger.BeginMessageScope("msg-1", "group-1", "conn-1=", "client-req-1"))
        using (logger.BeginPropertyScope("RequestAttempt", 2))
        {
            logger.PascalCaseAttempt("conn-1=", 410, "Gone");
        }

        var line = logs.Line("@connections POST to conn-1=: HTTP 410, Gone");
        Assert.Equal("conn-1=", line.GetProperty("connection_id").GetString());
        Assert.Equal(410, line.GetProperty("status_code").GetInt32());
        Assert.Equal("Gone", line.GetProperty("outcome").GetString());
        Assert.Equal(2, line.GetProperty("request_attempt").GetInt32());
        Assert.Equal("client-req-1", line.GetProperty("request_id").GetString());
        Assert.Single(line.EnumerateObject(), member => member.Name == "connection_id");
    }

    [Fact]
    public void Placeholders_named_like_schema_keys_never_replace_the_Lambda_facts_or_the_header()
    {
        using var logs = new CapturedLambdaLogs();
        logs.Context.BeginInvocation("req-1", "arn:aws:lambda:eu-west-1:123456789012:function:f", traceId: null);

        logs.Logger<LogKeySchemaTests>().Impostor(coldStart: "no", functionRequestId: "forged", message: "other", level: "Fatal");

        var line = Assert.Single(logs.Lines());
        Assert.Equal(JsonValueKind.True, line.GetProperty("cold_start").ValueKind);
        Assert.Equal("req-1", line.GetProperty("function_request_id").GetString());
        Assert.Equal("Impostor no forged other Fatal", line.GetProperty("message").GetString());
        Assert.Equal("Information", line.GetProperty("level").GetString());
    }

    [Fact]
    public async Task The_connections_client_debug_lines_use_the_same_keys_as_the_Application()
    {
        await using var api = await FakeConnectionsApi.StartAsync();
        api.Respond = FakeConnectionsApi.AnswerWith(410);
        using var logs = new CapturedLambdaLogs(CapturedLambdaLogs.With(("POWERTOOLS_LOG_LEVEL", "Debug")));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var notifier = new ConnectionsApiNotifier(
            http,
            new ConnectionsApiOptions { Endpoint = new Uri(api.BaseAddress, "prod"), Region = NotifierHarness.Region },
            new SigV4Signer(new StaticAwsCredentialsProvider(new ImmutableCredentials(NotifierHarness.AccessKey, NotifierHarness.SecretKey, null)), TimeProvider.System),
            TimeProvider.System,
            logs.Logger<ConnectionsApiNotifier>());

        await notifier.SendAsync(NotifierHarness.ReplyTo("conn-gone="), DateTimeOffset.UtcNow.AddMinutes(1), CancellationToken.None);

        var line = Assert.Single(logs.Lines(), line => line.GetProperty("message").GetString()!.StartsWith("@connections POST", StringComparison.Ordinal));
        Assert.Equal("conn-gone=", line.GetProperty("connection_id").GetString());
        Assert.Equal(410, line.GetProperty("status_code").GetInt32());
        Assert.True(line.TryGetProperty("outcome", out _));
    }

    private static JsonElement Format(LogEvent logEvent)
    {
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        new PowertoolsJsonFormatter("socket-relay").Format(logEvent, output);
        return Assert.Single(PowertoolsLogSchema.AssertLines(output.ToString()));
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[a-z0-9_]+$")]
    private static partial System.Text.RegularExpressions.Regex SnakeCaseKey();
}

/// <summary>Log calls named the way .NET analyzers (CA1727) and most libraries name placeholders: PascalCase.</summary>
internal static partial class PascalCaseLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "@connections POST to {ConnectionId}: HTTP {StatusCode}, {Outcome}")]
    public static partial void PascalCaseAttempt(this ILogger logger, string connectionId, int statusCode, string outcome);

    [LoggerMessage(Level = LogLevel.Information, Message = "Impostor {ColdStart} {FunctionRequestId} {Message} {Level}")]
    public static partial void Impostor(this ILogger logger, string coldStart, string functionRequestId, string message, string level);
}
