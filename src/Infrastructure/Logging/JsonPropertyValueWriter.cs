using System.Globalization;
using System.Text;
using System.Text.Json;
using Serilog.Events;

namespace SocketRelay.Infrastructure.Logging;

/// <summary>
/// Writes Serilog property values as JSON without reflection: strings, numbers and booleans as
/// themselves, dates in ISO-8601, structures, sequences and dictionaries as JSON objects and arrays,
/// anything else as its <c>ToString()</c>. It never throws on an odd value: a <c>ToString()</c> that
/// throws, a non-finite number or a lone UTF-16 surrogate each become a string.
/// </summary>
internal static class JsonPropertyValueWriter
{
    /// <summary>Deeper values are written as their text, so a self-referencing structure cannot overflow the stack.</summary>
    private const int MaxDepth = 8;

    public static void Write(Utf8JsonWriter writer, LogEventPropertyValue? value, int depth = 0)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case ScalarValue scalar:
                WriteScalar(writer, scalar.Value);
                break;
            case SequenceValue sequence when depth < MaxDepth:
                writer.WriteStartArray();
                foreach (var element in sequence.Elements)
                {
                    Write(writer, element, depth + 1);
                }

                writer.WriteEndArray();
                break;
            case StructureValue structure when depth < MaxDepth:
                writer.WriteStartObject();
                foreach (var property in structure.Properties)
                {
                    writer.WritePropertyName(Sanitize(property.Name));
                    Write(writer, property.Value, depth + 1);
                }

                writer.WriteEndObject();
                break;
            case DictionaryValue dictionary when depth < MaxDepth:
                writer.WriteStartObject();
                foreach (var (key, element) in dictionary.Elements)
                {
                    writer.WritePropertyName(Sanitize(Text(key.Value)));
                    Write(writer, element, depth + 1);
                }

                writer.WriteEndObject();
                break;
            default:
                writer.WriteStringValue(Sanitize(Text(value)));
                break;
        }
    }

    /// <summary>The value as it reads inside a sentence: strings without quotes, dates in ISO-8601.</summary>
    public static string Text(object? value)
    {
        try
        {
            return value switch
            {
                null => string.Empty,
                string text => text,
                DateTimeOffset moment => moment.ToString("O", CultureInfo.InvariantCulture),
                DateTime moment => moment.ToString("O", CultureInfo.InvariantCulture),
                IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
                _ => value.ToString() ?? string.Empty,
            };
        }
#pragma warning disable CA1031 // A value's own ToString() must never make a log line disappear.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return $"<{value!.GetType().FullName}.ToString() threw {ex.GetType().FullName}>";
        }
    }

    /// <summary>
    /// Replaces lone UTF-16 surrogates with U+FFFD: <see cref="Utf8JsonWriter"/> refuses them, and a
    /// log line must still be written when a value carries half of a character.
    /// </summary>
    public static string Sanitize(string text)
    {
        var firstBad = IndexOfLoneSurrogate(text, 0);
        if (firstBad < 0)
        {
            return text;
        }

        var builder = new StringBuilder(text);
        for (var i = firstBad; i >= 0; i = IndexOfLoneSurrogate(text, i + 1))
        {
            builder[i] = '\uFFFD';
        }

        return builder.ToString();
    }

    private static void WriteScalar(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case bool flag:
                writer.WriteBooleanValue(flag);
                break;
            case int or short or sbyte or byte or ushort:
                writer.WriteNumberValue(Convert.ToInt32(value, CultureInfo.InvariantCulture));
                break;
            case long number:
                writer.WriteNumberValue(number);
                break;
            case uint number:
                writer.WriteNumberValue(number);
                break;
            case ulong number:
                writer.WriteNumberValue(number);
                break;
            case decimal number:
                writer.WriteNumberValue(number);
                break;
            case double number when double.IsFinite(number):
                writer.WriteNumberValue(number);
                break;
            case float number when float.IsFinite(number):
                writer.WriteNumberValue(number);
                break;
            default:
                writer.WriteStringValue(Sanitize(Text(value)));
                break;
        }
    }

    private static int IndexOfLoneSurrogate(string text, int start)
    {
        for (var i = start; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return i;
            }
        }

        return -1;
    }
}
