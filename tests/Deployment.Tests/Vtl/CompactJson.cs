using System.Globalization;
using System.Text;
using System.Text.Json;

namespace SocketRelay.Deployment.Tests.Vtl;

/// <summary>
/// What API Gateway's <c>$input.json('$')</c> makes of a frame, computed independently of the
/// renderer: JavaScript's <c>JSON.stringify(JSON.parse(text))</c>. No whitespace between tokens;
/// strings re-escaped minimally (<c>\"</c>, <c>\\</c>, <c>\b \f \n \r \t</c>, other control
/// characters as <c>\u00xx</c>), everything else written as itself, so <c>\u0041</c> becomes
/// <c>A</c> and <c>\/</c> becomes <c>/</c>. Numbers are copied as written: the corpus avoids
/// numbers whose text JavaScript would change (<c>1.0</c>, <c>1e3</c>), duplicate names and
/// integer-like names (which JavaScript reorders).
/// </summary>
public static class CompactJson
{
    public static string Stringify(string json)
    {
        using var document = JsonDocument.Parse(json);
        var builder = new StringBuilder(json.Length);
        Write(document.RootElement, builder);
        return builder.ToString();
    }

    private static void Write(JsonElement element, StringBuilder builder)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                builder.Append('{');
                var firstProperty = true;
                foreach (var property in element.EnumerateObject())
                {
                    builder.Append(firstProperty ? "" : ",");
                    firstProperty = false;
                    WriteString(property.Name, builder);
                    builder.Append(':');
                    Write(property.Value, builder);
                }

                builder.Append('}');
                break;
            case JsonValueKind.Array:
                builder.Append('[');
                var firstItem = true;
                foreach (var item in element.EnumerateArray())
                {
                    builder.Append(firstItem ? "" : ",");
                    firstItem = false;
                    Write(item, builder);
                }

                builder.Append(']');
                break;
            case JsonValueKind.String:
                WriteString(element.GetString()!, builder);
                break;
            default:
                builder.Append(element.GetRawText());
                break;
        }
    }

    private static void WriteString(string value, StringBuilder builder)
    {
        builder.Append('"');
        foreach (var c in value)
        {
            builder.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\b' => "\\b",
                '\f' => "\\f",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                < ' ' => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        }

        builder.Append('"');
    }
}
