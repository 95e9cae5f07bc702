using System.Globalization;
using Serilog.Events;
using Serilog.Parsing;

namespace SocketRelay.Infrastructure.Logging;

/// <summary>
/// Renders a message template the way Powertools and Microsoft.Extensions.Logging do: string values
/// without the quotes Serilog's own rendering puts around them, so <c>Reply delivered to {connection_id}</c>
/// reads <c>Reply delivered to abc=</c>. Formats (<c>{deadline:o}</c>) and alignments are honoured.
/// </summary>
internal static class PlainMessageRenderer
{
    public static string Render(LogEvent logEvent)
    {
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        foreach (var token in logEvent.MessageTemplate.Tokens)
        {
            if (token is PropertyToken property && logEvent.Properties.TryGetValue(property.PropertyName, out var value))
            {
                output.Write(Align(RenderValue(value, property), property.Alignment));
            }
            else
            {
                // Text, or a placeholder with no value: written as it stands in the template.
                token.Render(logEvent.Properties, output, CultureInfo.InvariantCulture);
            }
        }

        return output.ToString();
    }

    private static string RenderValue(LogEventPropertyValue value, PropertyToken token)
    {
        if (value is ScalarValue { Value: string text })
        {
            return text;
        }

        try
        {
            using var output = new StringWriter(CultureInfo.InvariantCulture);
            value.Render(output, token.Format, CultureInfo.InvariantCulture);
            return output.ToString();
        }
#pragma warning disable CA1031 // A value whose formatting throws is written as text rather than losing the line.
        catch (Exception)
#pragma warning restore CA1031
        {
            return JsonPropertyValueWriter.Text(value is ScalarValue scalar ? scalar.Value : value);
        }
    }

    private static string Align(string text, Alignment? alignment)
    {
        if (alignment is not { } align || text.Length >= align.Width)
        {
            return text;
        }

        return align.Direction == AlignmentDirection.Left ? text.PadRight(align.Width) : text.PadLeft(align.Width);
    }
}
