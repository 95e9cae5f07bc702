using Serilog.Events;
using Serilog.Formatting.Json;

namespace SocketRelay.Infrastructure.Logging;

/// <summary>
/// Serilog's <see cref="JsonValueFormatter"/> (strings, numbers, booleans, dates in ISO-8601,
/// sequences as arrays, non-finite numbers as strings, anything else as its <c>ToString()</c>), with
/// three changes for the Powertools log schema: the members of structures and the keys of
/// dictionaries are written under <see cref="LambdaLogKeys.FromPropertyName"/> (the first of two
/// members that map to one key wins), no <c>_typeTag</c> member is added, and a value whose
/// <c>ToString()</c> throws is written as a string saying so instead of losing the line.
/// </summary>
internal sealed class LogKeyJsonValueFormatter : JsonValueFormatter
{
    public LogKeyJsonValueFormatter()
        : base(typeTagName: null)
    {
    }

    protected override bool VisitStructureValue(TextWriter state, StructureValue structure)
    {
        WriteObject(state, structure.Properties.Select(property => (property.Name, property.Value)));
        return false;
    }

    protected override bool VisitDictionaryValue(TextWriter state, DictionaryValue dictionary)
    {
        WriteObject(state, dictionary.Elements.Select(element => (KeyText(element.Key), element.Value)));
        return false;
    }

    protected override void FormatLiteralValue(object? value, TextWriter output)
    {
        string text;
        try
        {
            // Every branch of the base computes the value's text before it writes anything.
            base.FormatLiteralValue(value, output);
            return;
        }
#pragma warning disable CA1031 // A value's own ToString() must never make a log line disappear.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            text = $"<{value?.GetType().FullName}.ToString() threw {ex.GetType().FullName}>";
        }

        WriteQuotedJsonString(text, output);
    }

    private void WriteObject(TextWriter output, IEnumerable<(string Name, LogEventPropertyValue Value)> members)
    {
        output.Write('{');
        var written = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, value) in members)
        {
            var key = LambdaLogKeys.FromPropertyName(name);
            if (!written.Add(key))
            {
                continue;
            }

            if (written.Count > 1)
            {
                output.Write(',');
            }

            WriteQuotedJsonString(key, output);
            output.Write(':');
            Format(value, output);
        }

        output.Write('}');
    }

    private static string KeyText(ScalarValue key)
    {
        try
        {
            return key.Value switch
            {
                null => "null",
                IFormattable formattable => formattable.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
                var other => other.ToString() ?? string.Empty,
            };
        }
#pragma warning disable CA1031 // As for values: an odd key must not lose the line.
        catch (Exception)
#pragma warning restore CA1031
        {
            return "_";
        }
    }
}
