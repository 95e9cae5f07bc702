using System.Globalization;
using System.Text;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Display;
using Serilog.Formatting.Json;

namespace SocketRelay.Infrastructure.Logging;

/// <summary>
/// Formats each event as one line holding one JSON object in the Powertools for AWS Lambda (.NET)
/// log schema: <c>timestamp</c>, <c>level</c>, <c>service</c>, <c>name</c>, <c>message</c>, then every
/// property of the event as a top-level key (the Lambda facts of <see cref="LambdaLogContext"/>,
/// scope keys such as <c>connection_id</c>, template placeholders), then <c>exception</c>.
/// </summary>
/// <remarks>
/// <para>
/// Every key is snake_case, as Powertools writes its keys by default: property names, scope keys
/// and the members of nested values are written under <see cref="LambdaLogKeys.FromPropertyName"/>,
/// so <c>{ConnectionId}</c> in a template and <c>connection_id</c> in a scope reach CloudWatch as the
/// same key. When two properties map to one key, the one already spelled as the key wins (the Lambda
/// facts, the scope keys), otherwise the first; a property whose key is one of the schema's own
/// (<c>message</c>, <c>level</c>, …) is left out, its value still in the message.
/// </para>
/// <para>
/// The message is rendered by Serilog's <see cref="MessageTemplateTextFormatter"/> with
/// <c>{Message:l}</c> (string values without quotes, formats such as <c>{deadline:o}</c> honoured,
/// invariant culture) and values are written by Serilog's <see cref="JsonValueFormatter"/>
/// (see <see cref="LogKeyJsonValueFormatter"/>); neither uses reflection, so Native AOT needs no
/// metadata. Formatting never throws: a lone UTF-16 surrogate becomes U+FFFD, a message that cannot
/// be rendered is written as its template, and if a line cannot be built at all, a shorter line
/// saying so is written instead.
/// </para>
/// </remarks>
public sealed class PowertoolsJsonFormatter : ITextFormatter
{
    private const int MaxInnerExceptionDepth = 8;

    // Properties never written as keys of their own: the category (written as "name") and the event
    // id Serilog.Extensions.Logging adds, which is outside the schema and says no more than the
    // message template. Properties whose keys the header or "exception" use are left out as well:
    // a key written twice would make jq and Logs Insights pick one at random.
    private static readonly HashSet<string> OmittedKeys =
    [
        LambdaLogKeys.Timestamp, LambdaLogKeys.Level, LambdaLogKeys.Service, LambdaLogKeys.Name,
        LambdaLogKeys.Message, LambdaLogKeys.Exception, LambdaLogKeys.FromPropertyName(Constants.SourceContextPropertyName), "event_id",
    ];

    private static readonly MessageTemplateTextFormatter MessageFormatter = new("{Message:l}", CultureInfo.InvariantCulture);
    private static readonly LogKeyJsonValueFormatter ValueFormatter = new();

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
        using var line = new StringWriter(new StringBuilder(1024), CultureInfo.InvariantCulture);
        try
        {
            WriteEntry(line, logEvent);
        }
#pragma warning disable CA1031 // Losing a log line to a formatting fault would hide exactly the line that was needed.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            line.GetStringBuilder().Clear();
            WriteFallbackEntry(line, logEvent, ex);
        }

        line.Write('\n');
        return ReplaceLoneSurrogates(line.GetStringBuilder());
    }

    private void WriteEntry(TextWriter output, LogEvent logEvent)
    {
        output.Write('{');
        WriteHeader(output, logEvent, RenderMessage(logEvent));

        // Two passes: a property already spelled as its key wins over one converted to the same key.
        var written = new HashSet<string>(OmittedKeys, StringComparer.Ordinal);
        foreach (var (name, value) in logEvent.Properties)
        {
            if (LambdaLogKeys.IsKey(name) && written.Add(name))
            {
                WriteMember(output, name, value);
            }
        }

        foreach (var (name, value) in logEvent.Properties)
        {
            if (!LambdaLogKeys.IsKey(name) && written.Add(LambdaLogKeys.FromPropertyName(name)))
            {
                WriteMember(output, LambdaLogKeys.FromPropertyName(name), value);
            }
        }

        if (logEvent.Exception is { } exception)
        {
            WriteKey(output, LambdaLogKeys.Exception);
            WriteException(output, exception, depth: 0);
        }

        output.Write('}');
    }

    private void WriteFallbackEntry(TextWriter output, LogEvent logEvent, Exception fault)
    {
        output.Write('{');
        WriteHeader(output, logEvent, logEvent.MessageTemplate.Text);
        WriteString(output, "log_format_error", fault.GetType().FullName ?? fault.GetType().Name);
        output.Write('}');
    }

    private void WriteHeader(TextWriter output, LogEvent logEvent, string message)
    {
        JsonValueFormatter.WriteQuotedJsonString(LambdaLogKeys.Timestamp, output);
        output.Write(':');
        JsonValueFormatter.WriteQuotedJsonString(logEvent.Timestamp.UtcDateTime.ToString("O", CultureInfo.InvariantCulture), output);
        WriteString(output, LambdaLogKeys.Level, PowertoolsLevelName(logEvent.Level));
        WriteString(output, LambdaLogKeys.Service, _service);
        if (logEvent.Properties.TryGetValue(Constants.SourceContextPropertyName, out var category) && category is ScalarValue { Value: string name })
        {
            WriteString(output, LambdaLogKeys.Name, name);
        }

        WriteString(output, LambdaLogKeys.Message, message);
    }

    /// <summary>The rendered message, or its template if a value cannot be rendered.</summary>
    private static string RenderMessage(LogEvent logEvent)
    {
        using var message = new StringWriter(CultureInfo.InvariantCulture);
        try
        {
            MessageFormatter.Format(logEvent, message);
            return message.ToString();
        }
#pragma warning disable CA1031 // A value whose formatting throws costs the rendered message, not the line.
        catch (Exception)
#pragma warning restore CA1031
        {
            return logEvent.MessageTemplate.Text;
        }
    }

    /// <summary>The shape Powertools gives an exception: type, message, source, stack trace and inner exception, nulls left out.</summary>
    private static void WriteException(TextWriter output, Exception exception, int depth)
    {
        output.Write('{');
        JsonValueFormatter.WriteQuotedJsonString("type", output);
        output.Write(':');
        JsonValueFormatter.WriteQuotedJsonString(exception.GetType().FullName ?? exception.GetType().Name, output);
        WriteString(output, "message", exception.Message);
        if (exception.Source is { } source)
        {
            WriteString(output, "source", source);
        }

        if (exception.StackTrace is { } stackTrace)
        {
            WriteString(output, "stack_trace", stackTrace);
        }

        if (exception.InnerException is { } inner && depth < MaxInnerExceptionDepth)
        {
            WriteKey(output, "inner_exception");
            WriteException(output, inner, depth + 1);
        }

        output.Write('}');
    }

    private static void WriteMember(TextWriter output, string key, LogEventPropertyValue value)
    {
        WriteKey(output, key);
        ValueFormatter.Format(value, output);
    }

    private static void WriteString(TextWriter output, string key, string value)
    {
        WriteKey(output, key);
        JsonValueFormatter.WriteQuotedJsonString(value, output);
    }

    /// <summary>Writes <c>,"key":</c>: every member but the first (<c>timestamp</c>) follows another.</summary>
    private static void WriteKey(TextWriter output, string key)
    {
        output.Write(',');
        JsonValueFormatter.WriteQuotedJsonString(key, output);
        output.Write(':');
    }

    /// <summary>
    /// Replaces lone UTF-16 surrogates with U+FFFD: they cannot be encoded as UTF-8, and a log line
    /// must still be written, and parse, when a value carries half of a character.
    /// </summary>
    private static string ReplaceLoneSurrogates(StringBuilder line)
    {
        var text = line.ToString();
        if (!text.AsSpan().ContainsAnyInRange('\uD800', '\uDFFF'))
        {
            return text;
        }

        var chars = text.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (char.IsHighSurrogate(chars[i]) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(chars[i]))
            {
                chars[i] = '\uFFFD';
            }
        }

        return new string(chars);
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
