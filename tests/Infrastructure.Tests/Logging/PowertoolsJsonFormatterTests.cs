using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Serilog.Events;
using Serilog.Parsing;
using SocketRelay.Infrastructure.Logging;

namespace SocketRelay.Infrastructure.Tests.Logging;

public class PowertoolsJsonFormatterTests
{
    [Fact]
    public void A_line_in_a_message_scope_carries_every_Powertools_key_with_its_JSON_type()
    {
        using var logs = new CapturedLambdaLogs();
        logs.Context.BeginInvocation("req-1", "arn:aws:lambda:eu-west-1:123456789012:function:socket-relay-dev-relay", "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1");
        var logger = logs.Logger<PowertoolsJsonFormatterTests>();

        using (logger.BeginMessageScope("msg-1", "group-1", "conn-1=", "client-req-1"))
        {
            logger.Delivered("conn-1=");
        }

        var line = logs.Line("Reply delivered to conn-1=");
        AssertString(line, "timestamp");
        var timestamp = line.GetProperty("timestamp").GetString()!;
        Assert.EndsWith("Z", timestamp, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.Zero, DateTimeOffset.Parse(timestamp, CultureInfo.InvariantCulture).Offset);
        Assert.Equal("Information", AssertString(line, "level"));
        Assert.Equal("socket-relay", AssertString(line, "service"));
        Assert.Equal(typeof(PowertoolsJsonFormatterTests).FullName, AssertString(line, "name"));
        Assert.Equal(JsonValueKind.True, line.GetProperty("cold_start").ValueKind);
        Assert.Equal("socket-relay-dev-relay", AssertString(line, "function_name"));
        Assert.Equal("$LATEST", AssertString(line, "function_version"));
        Assert.Equal(JsonValueKind.Number, line.GetProperty("function_memory_size").ValueKind);
        Assert.Equal(256, line.GetProperty("function_memory_size").GetInt32());
        Assert.Equal("arn:aws:lambda:eu-west-1:123456789012:function:socket-relay-dev-relay", AssertString(line, "function_arn"));
        Assert.Equal("req-1", AssertString(line, "function_request_id"));
        Assert.Equal("1-5759e988-bd862e3fe1be46a994272793", AssertString(line, "xray_trace_id"));
        Assert.Equal("conn-1=", AssertString(line, "connection_id"));
        Assert.Equal("client-req-1", AssertString(line, "request_id"));
        Assert.Equal("group-1", AssertString(line, "message_group_id"));
        Assert.Equal("msg-1", AssertString(line, "message_id"));
    }

    [Fact]
    public void The_message_renders_string_values_without_quotes()
    {
        using var logs = new CapturedLambdaLogs();

        logs.Logger<PowertoolsJsonFormatterTests>().Delivered("abc=");

        var message = Assert.Single(logs.Lines()).GetProperty("message").GetString();
        Assert.Equal("Reply delivered to abc=", message);
    }

    [Fact]
    public void Template_values_become_top_level_keys_keeping_their_JSON_types()
    {
        using var logs = new CapturedLambdaLogs();
        var deadline = new DateTimeOffset(2025, 3, 7, 17, 30, 29, TimeSpan.Zero);

        logs.Logger<PowertoolsJsonFormatterTests>().BatchProcessed(10, 12.5, deadline, partial: true);

        var line = Assert.Single(logs.Lines());
        Assert.Equal("Batch of 10 processed in 12.5 ms, deadline 2025-03-07T17:30:29.0000000+00:00, partial True", line.GetProperty("message").GetString());
        Assert.Equal(10, line.GetProperty("count").GetInt32());
        Assert.Equal(12.5, line.GetProperty("elapsed_ms").GetDouble());
        Assert.Equal(JsonValueKind.True, line.GetProperty("partial").ValueKind);
        Assert.Equal(deadline, line.GetProperty("deadline").GetDateTimeOffset());
    }

    [Fact]
    public void Levels_carry_the_Powertools_for_dotnet_names()
    {
        using var logs = new CapturedLambdaLogs(CapturedLambdaLogs.With(("POWERTOOLS_LOG_LEVEL", "Trace")));
        var logger = logs.Logger<PowertoolsJsonFormatterTests>();

        logger.Note(LogLevel.Trace, "trace");
        logger.Note(LogLevel.Debug, "debug");
        logger.Note(LogLevel.Information, "information");
        logger.Note(LogLevel.Warning, "warning");
        logger.Note(LogLevel.Error, "error");
        logger.Note(LogLevel.Critical, "critical");

        Assert.Equal(
            ["Trace", "Debug", "Information", "Warning", "Error", "Critical"],
            logs.Lines().Select(line => line.GetProperty("level").GetString()));
    }

    [Fact]
    public void An_exception_is_written_as_an_object_with_type_message_and_stack_trace()
    {
        using var logs = new CapturedLambdaLogs();
        var logger = logs.Logger<PowertoolsJsonFormatterTests>();

        try
        {
            ThrowWrapped();
        }
        catch (InvalidOperationException ex)
        {
            logger.ProcessingThrew(ex);
        }

        var exception = Assert.Single(logs.Lines()).GetProperty("exception");
        Assert.Equal(JsonValueKind.Object, exception.ValueKind);
        Assert.Equal("System.InvalidOperationException", exception.GetProperty("type").GetString());
        Assert.Equal("handler failed", exception.GetProperty("message").GetString());
        Assert.Contains(nameof(ThrowWrapped), exception.GetProperty("stack_trace").GetString(), StringComparison.Ordinal);
        var inner = exception.GetProperty("inner_exception");
        Assert.Equal("System.TimeoutException", inner.GetProperty("type").GetString());
        Assert.Equal("socket timed out", inner.GetProperty("message").GetString());
    }

    [Fact]
    public void Every_event_is_one_standalone_JSON_line_even_when_values_contain_line_breaks()
    {
        using var logs = new CapturedLambdaLogs(CapturedLambdaLogs.With(("POWERTOOLS_LOG_LEVEL", "Debug")));
        var logger = logs.Logger<PowertoolsJsonFormatterTests>();

        logger.MessageBody("{\n  \"action\": \"sendmessage\"\r\n}");
        logger.Delivered("conn\n2");

        var lines = logs.Lines();
        Assert.Equal(2, lines.Count);
        Assert.Equal("{\n  \"action\": \"sendmessage\"\r\n}", lines[0].GetProperty("body").GetString());
        Assert.Equal("conn\n2", lines[1].GetProperty("connection_id").GetString());
    }

    [Fact]
    public void Lines_can_be_selected_by_connection_id_as_jq_would()
    {
        using var logs = new CapturedLambdaLogs();
        var logger = logs.Logger<PowertoolsJsonFormatterTests>();

        foreach (var connection in new[] { "conn-a", "conn-b", "conn-a" })
        {
            using (logger.BeginMessageScope($"msg-{connection}", "group-1", connection, "client-req"))
            {
                logger.Note(LogLevel.Information, "in a message");
            }
        }

        logger.Note(LogLevel.Information, "outside any message");

        var selected = logs.Lines().Where(line => line.TryGetProperty("connection_id", out var id) && id.GetString() == "conn-a");
        Assert.Equal(2, selected.Count());
        Assert.DoesNotContain(logs.Lines(), line => line.GetProperty("message").GetString() == "Note: outside any message" && line.TryGetProperty("connection_id", out _));
    }

    [Fact]
    public void Odd_property_values_are_written_as_text_and_never_lose_the_line()
    {
        using var logs = new CapturedLambdaLogs();
        var logger = logs.Logger<PowertoolsJsonFormatterTests>();

        object?[] oddValues = [double.NaN, "half a character: \uD83D", new[] { 1, 2 }, null];

        foreach (var value in oddValues)
        {
            using (logger.BeginPropertyScope("odd", value))
            {
                logger.Note(LogLevel.Information, "odd value");
            }
        }

        var values = logs.Lines().Select(line => line.GetProperty("odd")).ToList();
        Assert.Equal(4, values.Count);
        Assert.Equal("NaN", values[0].GetString());
        Assert.Equal("half a character: \uFFFD", values[1].GetString());
        Assert.Equal([1, 2], values[2].EnumerateArray().Select(element => element.GetInt32()));
        Assert.Equal(JsonValueKind.Null, values[3].ValueKind);
    }

    [Fact]
    public void A_value_whose_ToString_throws_is_written_as_a_note_instead()
    {
        // Serilog itself stringifies unknown objects when it captures them; a formatter used with
        // other capturing still meets the raw object.
        var formatter = new PowertoolsJsonFormatter("socket-relay");
        var logEvent = new LogEvent(
            DateTimeOffset.UnixEpoch,
            LogEventLevel.Warning,
            exception: null,
            new MessageTemplateParser().Parse("Odd {odd}"),
            [new LogEventProperty("odd", new ScalarValue(new ToStringThrows()))]);
        using var output = new StringWriter(CultureInfo.InvariantCulture);

        formatter.Format(logEvent, output);

        using var line = JsonDocument.Parse(output.ToString());
        Assert.Contains("ToString() threw", line.RootElement.GetProperty("odd").GetString(), StringComparison.Ordinal);
        Assert.Equal("1970-01-01T00:00:00.0000000Z", line.RootElement.GetProperty("timestamp").GetString());
        Assert.Equal("Warning", line.RootElement.GetProperty("level").GetString());
    }

    [Fact]
    public void The_service_is_service_undefined_when_POWERTOOLS_SERVICE_NAME_is_not_set()
    {
        using var logs = new CapturedLambdaLogs(new Dictionary<string, string>());

        logs.Logger<PowertoolsJsonFormatterTests>().Delivered("abc");

        Assert.Equal("service_undefined", Assert.Single(logs.Lines()).GetProperty("service").GetString());
    }

    private static string AssertString(JsonElement line, string key)
    {
        Assert.True(line.TryGetProperty(key, out var value), $"'{key}' missing");
        Assert.Equal(JsonValueKind.String, value.ValueKind);
        return value.GetString()!;
    }

    private static void ThrowWrapped()
    {
        try
        {
            throw new TimeoutException("socket timed out");
        }
        catch (TimeoutException ex)
        {
            throw new InvalidOperationException("handler failed", ex);
        }
    }

    private sealed class ToStringThrows
    {
        public override string ToString() => throw new InvalidOperationException("no text for you");
    }
}
