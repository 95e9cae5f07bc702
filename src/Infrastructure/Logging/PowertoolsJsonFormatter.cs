using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;

namespace SocketRelay.Infrastructure.Logging;

/// <summary>
/// Formats each event as one line holding one JSON object in the Powertools for AWS Lambda (.NET)
/// log schema: <c>timestamp</c>, <c>level</c>, <c>service</c>, <c>name</c>, <c>message</c>, then every
/// property of the event as a top-level key (the Lambda facts of <see cref="LambdaLogContext"/>,
/// scope keys such as <c>connection_id</c>, template placeholders), then <c>exception</c>.
/// </summary>
/// <remarks>
/// Written with <see cref="Utf8JsonWriter"/> alone, so Native AOT needs no serialization metadata.
/// Formatting never throws: if a line cannot be built, a shorter line saying so is written instead.
/// </remarks>
public sealed class PowertoolsJsonFormatter : ITextFormatter
{
    private const int MaxInnerExceptionDepth = 8;

    // Relaxed escaping keeps non-ASCII text readable in CloudWatch; control characters, including
    // line breaks, are still escaped, so an event is always exactly one line.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    // Properties not written as keys of their own: those whose names the schema's keys already use
    // (writing a key twice would make jq and Logs Insights pick one at random), the category
    // (written as "name"), and the event id Serilog.Extensions.Logging adds, which is outside the
    // schema and says no more than the message template.
    private static readonly HashSet<string> OmittedProperties =
    [
        LambdaLogKeys.Timestamp, LambdaLogKeys.Level, LambdaLogKeys.Service, LambdaLogKeys.Name,
        LambdaLogKeys.Message, LambdaLogKeys.Exception, Constants.SourceContextPropertyName, "EventId",
    ];

    private readonly string _service;

    /// <param name="service">The value of the <c>service</c> key, as <c>POWERTOOLS_SERVICE_NAME</c> sets it in Powertools.</param>
    public PowertoolsJsonFormatter(string service)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(service);
        _service = service;
    }

    /// <summary>Writes the event's line, newline included, with a single write.</summary>
    public void Format(LogEvent logEvent, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        ArgumentNullException.ThrowIfNull(output);
        output.Write(FormatLine(logEvent));
    }

    internal string FormatLine(LogEvent logEvent)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        try
        {
            WriteEntry(buffer, logEvent);
        }
#pragma warning disable CA1031 // Losing a log line to a formatting fault would hide exactly the line that was needed.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            buffer.ResetWrittenCount();
            WriteFallbackEntry(buffer, logEvent, ex);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan) + "\n";
    }

    private void WriteEntry(IBufferWriter<byte> buffer, LogEvent logEvent)
    {
        using var writer = new Utf8JsonWriter(buffer, WriterOptions);
        writer.WriteStartObject();
        WriteHeader(writer, logEvent, PlainMessageRenderer.Render(logEvent));
        foreach (var (name, value) in logEvent.Properties)
        {
            if (!OmittedProperties.Contains(name))
            {
                writer.WritePropertyName(JsonPropertyValueWriter.Sanitize(name));
                JsonPropertyValueWriter.Write(writer, value);
            }
        }

        if (logEvent.Exception is { } exception)
        {
            writer.WritePropertyName(LambdaLogKeys.Exception);
            WriteException(writer, exception, depth: 0);
        }

        writer.WriteEndObject();
    }

    private void WriteFallbackEntry(IBufferWriter<byte> buffer, LogEvent logEvent, Exception fault)
    {
        using var writer = new Utf8JsonWriter(buffer, WriterOptions);
        writer.WriteStartObject();
        WriteHeader(writer, logEvent, logEvent.MessageTemplate.Text);
        writer.WriteString("log_format_error", fault.GetType().FullName);
        writer.WriteEndObject();
    }

    private void WriteHeader(Utf8JsonWriter writer, LogEvent logEvent, string message)
    {
        writer.WriteString(LambdaLogKeys.Timestamp, logEvent.Timestamp.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        writer.WriteString(LambdaLogKeys.Level, PowertoolsLevelName(logEvent.Level));
        writer.WriteString(LambdaLogKeys.Service, JsonPropertyValueWriter.Sanitize(_service));
        if (logEvent.Properties.TryGetValue(Constants.SourceContextPropertyName, out var category) && category is ScalarValue { Value: string name })
        {
            writer.WriteString(LambdaLogKeys.Name, JsonPropertyValueWriter.Sanitize(name));
        }

        writer.WriteString(LambdaLogKeys.Message, JsonPropertyValueWriter.Sanitize(message));
    }

    /// <summary>The shape Powertools gives an exception: type, message, source, stack trace and inner exception, nulls left out.</summary>
    private static void WriteException(Utf8JsonWriter writer, Exception exception, int depth)
    {
        writer.WriteStartObject();
        writer.WriteString("type", exception.GetType().FullName);
        writer.WriteString("message", JsonPropertyValueWriter.Sanitize(exception.Message));
        if (exception.Source is { } source)
        {
            writer.WriteString("source", JsonPropertyValueWriter.Sanitize(source));
        }

        if (exception.StackTrace is { } stackTrace)
        {
            writer.WriteString("stack_trace", JsonPropertyValueWriter.Sanitize(stackTrace));
        }

        if (exception.InnerException is { } inner && depth < MaxInnerExceptionDepth)
        {
            writer.WritePropertyName("inner_exception");
            WriteException(writer, inner, depth + 1);
        }

        writer.WriteEndObject();
    }

    /// <summary>Microsoft.Extensions.Logging's level names, which Powertools for .NET writes.</summary>
    private static string PowertoolsLevelName(LogEventLevel level) => level switch
    {
        LogEventLevel.Verbose => "Trace",
        LogEventLevel.Debug => "Debug",
        LogEventLevel.Information => "Information",
        LogEventLevel.Warning => "Warning",
        LogEventLevel.Error => "Error",
        LogEventLevel.Fatal => "Critical",
        _ => level.ToString(),
    };
}
