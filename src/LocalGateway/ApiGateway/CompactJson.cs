using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Unicode;

namespace SocketRelay.LocalGateway.ApiGateway;

/// <summary>
/// Re-serializes JSON compactly, as API Gateway's <c>$input.json('$')</c> does before the body is
/// queued: <c>{"MessageGroupId": "test"}</c> becomes <c>{"MessageGroupId":"test"}</c>.
/// </summary>
/// <remarks>
/// Exactly: insignificant whitespace is removed; property order and duplicate properties are kept;
/// numbers and <c>true</c>/<c>false</c>/<c>null</c> are copied verbatim; strings (values and names)
/// are decoded and re-encoded with the minimal escaping of ECMAScript <c>JSON.stringify</c>:
/// <c>"</c> → <c>\"</c>, <c>\</c> → <c>\\</c>, <c>\b \f \n \r \t</c> in short form, other U+0000–U+001F
/// as <c>\u00xx</c> (lowercase hex), lone surrogates as <c>\udxxx</c>; everything else (<c>/</c>,
/// <c>&amp; + % = &lt; &gt; '</c>, non-ASCII, astral characters) is written raw in UTF-8. So
/// <c>"\u00e9"</c> becomes <c>"é"</c>, <c>"\/"</c> becomes <c>"/"</c> and <c>"\u000A"</c> becomes <c>"\n"</c>.
/// Input must be valid UTF-8 holding one JSON value (RFC 8259: no comments, no trailing commas,
/// no byte order mark) nested at most <see cref="MaxDepth"/> deep. The output is never longer
/// than the input.
/// </remarks>
public static class CompactJson
{
    /// <summary>The deepest nesting accepted; a root object alone is depth 1.</summary>
    public const int MaxDepth = 64;

    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = MaxDepth };

    /// <summary>
    /// The compact form of <paramref name="utf8Json"/>, as UTF-8 in <paramref name="compact"/>; or
    /// false, with <paramref name="error"/> saying why the input is not acceptable JSON.
    /// </summary>
    internal static bool TryMinifyToUtf8(ReadOnlySpan<byte> utf8Json, out ReadOnlyMemory<byte> compact, [NotNullWhen(false)] out string? error)
    {
        compact = default;
        // Utf8JsonReader only checks the structure; invalid UTF-8 inside a string would slip through.
        if (!Utf8.IsValid(utf8Json))
        {
            error = "the text is not valid UTF-8";
            return false;
        }

        var output = new CompactWriter(new byte[utf8Json.Length]);
        var reader = new Utf8JsonReader(utf8Json, ReaderOptions);
        try
        {
            while (reader.Read())
            {
                output.Write(ref reader);
            }
        }
        catch (JsonException exception)
        {
            error = exception.Message;
            return false;
        }

        if (output.Length == 0)
        {
            error = "the text is empty";
            return false;
        }

        compact = output.Written;
        error = null;
        return true;
    }

    private struct CompactWriter(byte[] buffer)
    {
        private int _length;
        private bool _valueWritten;

        public readonly int Length => _length;

        public readonly ReadOnlyMemory<byte> Written => buffer.AsMemory(0, _length);

        public void Write(ref Utf8JsonReader reader)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    SeparateFromPreviousValue();
                    Append(reader.TokenType == JsonTokenType.StartObject ? (byte)'{' : (byte)'[');
                    _valueWritten = false;
                    break;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    Append(reader.TokenType == JsonTokenType.EndObject ? (byte)'}' : (byte)']');
                    _valueWritten = true;
                    break;
                case JsonTokenType.PropertyName:
                    SeparateFromPreviousValue();
                    WriteString(reader.ValueSpan, reader.ValueIsEscaped);
                    Append((byte)':');
                    _valueWritten = false;
                    break;
                case JsonTokenType.String:
                    SeparateFromPreviousValue();
                    WriteString(reader.ValueSpan, reader.ValueIsEscaped);
                    _valueWritten = true;
                    break;
                default:
                    // Numbers and literals: the reader has validated them; their text is kept as sent.
                    SeparateFromPreviousValue();
                    Append(reader.ValueSpan);
                    _valueWritten = true;
                    break;
            }
        }

        private void SeparateFromPreviousValue()
        {
            if (_valueWritten)
            {
                Append((byte)',');
            }
        }

        private void WriteString(ReadOnlySpan<byte> raw, bool escaped)
        {
            Append((byte)'"');
            if (escaped)
            {
                _length += JsonStringEscapes.Rewrite(raw, buffer.AsSpan(_length));
            }
            else
            {
                // Without escapes the reader has already ruled out quotes and control characters.
                Append(raw);
            }

            Append((byte)'"');
        }

        private void Append(byte value) => buffer[_length++] = value;

        private void Append(ReadOnlySpan<byte> value)
        {
            value.CopyTo(buffer.AsSpan(_length));
            _length += value.Length;
        }
    }
}
