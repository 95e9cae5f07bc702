using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace SocketRelay.Infrastructure.Connections;

/// <summary>
/// The SigV4 canonical request of an HTTP request, as AWS defines it for every service but S3: the
/// path as sent, with each segment URI-encoded once more (so <c>%3D</c> on the wire is <c>%253D</c>
/// here and <c>@</c> is <c>%40</c>), the query sorted and strictly encoded, the chosen headers
/// lower-cased and trimmed, and the hex SHA-256 of the payload. The one implementation: the
/// <c>@connections</c> client signs with it and the local gateway's <c>@connections</c> API verifies with it.
/// </summary>
/// <remarks>
/// Source: AWS's "Create a canonical request for Signature Version 4" (IAM user guide). It runs once per
/// <c>@connections</c> post on each side, so it builds the text in one buffer and leaves what needs no
/// encoding as it is.
/// </remarks>
public static class SigV4CanonicalRequest
{
    private const string UpperHex = "0123456789ABCDEF";

    private static readonly SearchValues<char> Unreserved =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~");

    private static readonly SearchValues<char> UnreservedOrSlash =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~/");

    /// <param name="headers">The headers to sign: lower-case names, each once.</param>
    public static string Build(string method, Uri uri, IReadOnlyList<KeyValuePair<string, string>> headers, string payloadHash)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return Build(method, CanonicalPath(uri.AbsolutePath), uri.Query, headers, payloadHash);
    }

    /// <summary>
    /// The canonical request of a request as it arrived: <paramref name="canonicalPath"/> is already
    /// canonical (see <see cref="CanonicalPath"/>), <paramref name="query"/> is the raw query string with or
    /// without its <c>?</c>.
    /// </summary>
    /// <param name="headers">The signed headers: lower-case names, each once, values as received.</param>
    public static string Build(string method, string canonicalPath, string query, IReadOnlyList<KeyValuePair<string, string>> headers, string payloadHash)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(canonicalPath);
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(payloadHash);
        var sorted = SortedByName(headers);
        var canonicalQuery = CanonicalQuery(query ?? "");
        var length = method.Length + canonicalPath.Length + canonicalQuery.Length + payloadHash.Length + 8;
        foreach (var (name, value) in sorted)
        {
            length += (2 * name.Length) + value.Length + 3;
        }

        var text = new StringBuilder(length);
        AppendUpperInvariant(text, method).Append('\n');
        text.Append(canonicalPath).Append('\n');
        text.Append(canonicalQuery).Append('\n');
        foreach (var (name, value) in sorted)
        {
            text.Append(name).Append(':');
            AppendCanonicalHeaderValue(text, value).Append('\n');
        }

        text.Append('\n');
        AppendSignedHeaders(text, sorted).Append('\n');
        text.Append(payloadHash);
        return text.ToString();
    }

    /// <summary>The <c>SignedHeaders</c> value: the header names, sorted ordinally, joined by <c>;</c>.</summary>
    public static string SignedHeaders(IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        return AppendSignedHeaders(new StringBuilder(), SortedByName(headers)).ToString();
    }

    /// <summary>The lower-case hex SHA-256 of the body: the canonical request's last line.</summary>
    public static string HashPayload(ReadOnlySpan<byte> payload) => Convert.ToHexStringLower(SHA256.HashData(payload));

    /// <summary>
    /// The canonical URI of a path as sent on the wire (every service but S3): each segment URI-encoded
    /// once more, so <c>/local/@connections/ab%2Bc</c> is <c>/local/%40connections/ab%252Bc</c>.
    /// </summary>
    public static string CanonicalPath(string wirePath)
    {
        ArgumentNullException.ThrowIfNull(wirePath);
        if (wirePath.Length == 0)
        {
            return "/";
        }

        return wirePath.AsSpan().ContainsAnyExcept(UnreservedOrSlash)
            ? AppendUriEncoded(new StringBuilder(wirePath.Length + 16), wirePath, keepSlash: true).ToString()
            : wirePath;
    }

    private static IReadOnlyList<KeyValuePair<string, string>> SortedByName(IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        for (var i = 1; i < headers.Count; i++)
        {
            if (string.CompareOrdinal(headers[i - 1].Key, headers[i].Key) > 0)
            {
                var sorted = headers.ToArray();
                Array.Sort(sorted, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
                return sorted;
            }
        }

        return headers;
    }

    private static StringBuilder AppendSignedHeaders(StringBuilder text, IReadOnlyList<KeyValuePair<string, string>> sorted)
    {
        for (var i = 0; i < sorted.Count; i++)
        {
            (i == 0 ? text : text.Append(';')).Append(sorted[i].Key);
        }

        return text;
    }

    private static StringBuilder AppendUpperInvariant(StringBuilder text, string value)
    {
        foreach (var c in value)
        {
            text.Append(char.ToUpperInvariant(c));
        }

        return text;
    }

    private static string CanonicalQuery(string query)
    {
        var raw = query.AsSpan().TrimStart('?');
        if (raw.IsEmpty)
        {
            return "";
        }

        var pairs = raw.ToString()
            .Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(parameter =>
            {
                var equals = parameter.IndexOf('=', StringComparison.Ordinal);
                var name = equals < 0 ? parameter : parameter[..equals];
                var value = equals < 0 ? string.Empty : parameter[(equals + 1)..];
                return (Name: UriEncode(Uri.UnescapeDataString(name)), Value: UriEncode(Uri.UnescapeDataString(value)));
            })
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ThenBy(p => p.Value, StringComparer.Ordinal);
        return string.Join('&', pairs.Select(p => $"{p.Name}={p.Value}"));
    }

    // Header values are trimmed and inner runs of spaces collapse to one: the value split at spaces,
    // each piece trimmed of white space, the empty ones dropped, the rest joined by one space.
    private static StringBuilder AppendCanonicalHeaderValue(StringBuilder text, string value)
    {
        var first = true;
        foreach (var range in value.AsSpan().Split(' '))
        {
            var piece = value.AsSpan(range).Trim();
            if (piece.IsEmpty)
            {
                continue;
            }

            (first ? text : text.Append(' ')).Append(piece);
            first = false;
        }

        return text;
    }

    /// <summary>RFC 3986 percent-encoding of everything but unreserved characters, upper-case hex, over UTF-8.</summary>
    private static string UriEncode(string value) =>
        value.AsSpan().ContainsAnyExcept(Unreserved)
            ? AppendUriEncoded(new StringBuilder(value.Length + 8), value, keepSlash: false).ToString()
            : value;

    /// <summary>
    /// Appends <paramref name="value"/> percent-encoded over its UTF-8 bytes (an unpaired surrogate as
    /// U+FFFD, as <see cref="Encoding.UTF8"/> encodes it); <paramref name="keepSlash"/> leaves <c>/</c> as it is.
    /// </summary>
    private static StringBuilder AppendUriEncoded(StringBuilder text, string value, bool keepSlash)
    {
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in value.EnumerateRunes())
        {
            if (rune.IsAscii && (Unreserved.Contains((char)rune.Value) || (keepSlash && rune.Value == '/')))
            {
                text.Append((char)rune.Value);
                continue;
            }

            var written = rune.EncodeToUtf8(utf8);
            for (var i = 0; i < written; i++)
            {
                text.Append('%').Append(UpperHex[utf8[i] >> 4]).Append(UpperHex[utf8[i] & 0xF]);
            }
        }

        return text;
    }
}
