using System.Globalization;
using System.Text;

namespace SocketRelay.LocalGateway.ApiGateway;

/// <summary>
/// Turns the escaped contents of a JSON string into the escaping <c>JSON.stringify</c> would use.
/// A separate decoder is needed because <c>Utf8JsonReader.GetString</c> rejects lone surrogates,
/// which JSON allows and <c>JSON.stringify</c> writes as <c>\udxxx</c>.
/// </summary>
internal static class JsonStringEscapes
{
    /// <summary>Rewrites <paramref name="raw"/> (validated by Utf8JsonReader) into <paramref name="output"/>; returns the bytes written.</summary>
    public static int Rewrite(ReadOnlySpan<byte> raw, Span<byte> output)
    {
        var written = 0;
        var i = 0;
        while (i < raw.Length)
        {
            if (raw[i] != '\\')
            {
                output[written++] = raw[i++];
                continue;
            }

            var kind = raw[i + 1];
            if (kind != 'u')
            {
                written += WriteCodeUnit(Unescape(kind), output[written..]);
                i += 2;
                continue;
            }

            var unit = ParseHex(raw.Slice(i + 2, 4));
            i += 6;
            if (char.IsHighSurrogate(unit) && TryReadLowSurrogate(raw[i..], out var low))
            {
                written += new Rune(unit, low).EncodeToUtf8(output[written..]);
                i += 6;
            }
            else
            {
                written += WriteCodeUnit(unit, output[written..]);
            }
        }

        return written;
    }

    private static char Unescape(byte kind) => kind switch
    {
        (byte)'b' => '\b',
        (byte)'f' => '\f',
        (byte)'n' => '\n',
        (byte)'r' => '\r',
        (byte)'t' => '\t',
        _ => (char)kind, // '"', '\\' and '/': the reader accepts no other escapes
    };

    private static bool TryReadLowSurrogate(ReadOnlySpan<byte> rest, out char low)
    {
        low = default;
        if (rest.Length < 6 || rest[0] != '\\' || rest[1] != 'u')
        {
            return false;
        }

        low = ParseHex(rest.Slice(2, 4));
        return char.IsLowSurrogate(low);
    }

    private static char ParseHex(ReadOnlySpan<byte> fourHexDigits) =>
        (char)ushort.Parse(fourHexDigits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);

    private static int WriteCodeUnit(char unit, Span<byte> output)
    {
        var shortForm = unit switch
        {
            '"' => '"',
            '\\' => '\\',
            '\b' => 'b',
            '\f' => 'f',
            '\n' => 'n',
            '\r' => 'r',
            '\t' => 't',
            _ => '\0',
        };
        if (shortForm != '\0')
        {
            output[0] = (byte)'\\';
            output[1] = (byte)shortForm;
            return 2;
        }

        if (unit < 0x20 || char.IsSurrogate(unit))
        {
            output[0] = (byte)'\\';
            output[1] = (byte)'u';
            ((int)unit).TryFormat(output[2..], out var hexDigits, "x4", CultureInfo.InvariantCulture);
            return 2 + hexDigits;
        }

        return new Rune(unit).EncodeToUtf8(output);
    }
}
