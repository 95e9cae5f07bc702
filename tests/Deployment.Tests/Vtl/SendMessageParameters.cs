using System.Text;

namespace SocketRelay.Deployment.Tests.Vtl;

/// <summary>
/// The parameters of an SQS query-API request, decoded from an
/// <c>application/x-www-form-urlencoded</c> body as SQS decodes it: split on <c>&amp;</c>, split
/// each pair at its first <c>=</c>, <c>+</c> is a space, <c>%XX</c> are UTF-8 bytes. Order and
/// repeats are kept, so a test can see a parameter that was injected twice.
/// </summary>
public sealed class SendMessageParameters
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private SendMessageParameters(IReadOnlyList<KeyValuePair<string, string>> pairs) => Pairs = pairs;

    public IReadOnlyList<KeyValuePair<string, string>> Pairs { get; }

    public string? MessageBody => ValueOf("MessageBody");

    public string? MessageGroupId => ValueOf("MessageGroupId");

    public string? MessageDeduplicationId => ValueOf("MessageDeduplicationId");

    /// <exception cref="FormatException">The body is not valid form encoding (a stray '%', bytes that are not UTF-8).</exception>
    public static SendMessageParameters DecodeFormBody(string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var pairs = new List<KeyValuePair<string, string>>();
        if (body.Length == 0)
        {
            return new SendMessageParameters(pairs);
        }

        foreach (var pair in body.Split('&'))
        {
            var separator = pair.IndexOf('=', StringComparison.Ordinal);
            var name = separator < 0 ? pair : pair[..separator];
            var value = separator < 0 ? "" : pair[(separator + 1)..];
            pairs.Add(KeyValuePair.Create(Decode(name), Decode(value)));
        }

        return new SendMessageParameters(pairs);
    }

    /// <summary>The value of a parameter that appears once; null when absent or repeated.</summary>
    public string? ValueOf(string name)
    {
        var values = Values(name);
        return values.Count == 1 ? values[0] : null;
    }

    public IReadOnlyList<string> Values(string name) =>
        Pairs.Where(pair => pair.Key == name).Select(pair => pair.Value).ToList();

    /// <summary>A String message attribute by name: its value, or null when it is absent, repeated or not a String.</summary>
    public string? StringAttribute(string attributeName)
    {
        var indexes = Pairs
            .Where(pair => pair.Value == attributeName && pair.Key.StartsWith("MessageAttribute.", StringComparison.Ordinal) && pair.Key.EndsWith(".Name", StringComparison.Ordinal))
            .Select(pair => pair.Key["MessageAttribute.".Length..^".Name".Length])
            .ToList();
        if (indexes.Count != 1)
        {
            return null;
        }

        var prefix = $"MessageAttribute.{indexes[0]}.Value.";
        return ValueOf(prefix + "DataType") == "String" ? ValueOf(prefix + "StringValue") : null;
    }

    private static string Decode(string text)
    {
        var bytes = new List<byte>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '+')
            {
                bytes.Add((byte)' ');
            }
            else if (c == '%')
            {
                if (i + 2 >= text.Length || !Uri.IsHexDigit(text[i + 1]) || !Uri.IsHexDigit(text[i + 2]))
                {
                    throw new FormatException($"'%' not followed by two hex digits at {i}");
                }

                bytes.Add((byte)((Uri.FromHex(text[i + 1]) << 4) | Uri.FromHex(text[i + 2])));
                i += 2;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(text.Substring(i, char.IsHighSurrogate(c) && i + 1 < text.Length ? 2 : 1)));
                if (char.IsHighSurrogate(c))
                {
                    i++;
                }
            }
        }

        try
        {
            return StrictUtf8.GetString(bytes.ToArray());
        }
        catch (DecoderFallbackException exception)
        {
            throw new FormatException("percent-encoded bytes are not UTF-8", exception);
        }
    }
}
