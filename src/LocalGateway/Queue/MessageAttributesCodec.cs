using System.Text.Json;

namespace SocketRelay.LocalGateway.Queue;

/// <summary>Stores message attributes as one JSON object column, written and read without reflection.</summary>
internal static class MessageAttributesCodec
{
    private static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>();

    public static string Encode(IReadOnlyDictionary<string, string> attributes)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in attributes)
            {
                writer.WriteString(name, value);
            }

            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    public static IReadOnlyDictionary<string, string> Decode(string json)
    {
        if (json == "{}")
        {
            return Empty;
        }

        using var document = JsonDocument.Parse(json);
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            attributes[property.Name] = property.Value.GetString() ?? string.Empty;
        }

        return attributes;
    }
}
