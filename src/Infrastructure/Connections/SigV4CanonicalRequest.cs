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
/// <remarks>Source: AWS's "Create a canonical request for Signature Version 4" (IAM user guide).</remarks>
public static class SigV4CanonicalRequest
{
    private const string UnreservedCharacters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~";

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
        ArgumentNullException.ThrowIfNull(headers);
        var sorted = headers.OrderBy(h => h.Key, StringComparer.Ordinal).ToList();
        var text = new StringBuilder();
        text.Append(method.ToUpperInvariant()).Append('\n');
        text.Append(canonicalPath).Append('\n');
        text.Append(CanonicalQuery(query ?? "")).Append('\n');
        foreach (var (name, value) in sorted)
        {
            text.Append(name).Append(':').Append(CanonicalHeaderValue(value)).Append('\n');
        }

        text.Append('\n');
        text.Append(SignedHeaders(sorted)).Append('\n');
        text.Append(payloadHash);
        return text.ToString();
    }

    /// <summary>The <c>SignedHeaders</c> value: the header names, sorted ordinally, joined by <c>;</c>.</summary>
    public static string SignedHeaders(IEnumerable<KeyValuePair<string, string>> headers) =>
        string.Join(';', headers.Select(h => h.Key).Order(StringComparer.Ordinal));

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

        return string.Join('/', wirePath.Split('/').Select(UriEncode));
    }

    private static string CanonicalQuery(string query)
    {
        var pairs = query.TrimStart('?')
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

    // Header values are trimmed and inner runs of spaces collapse to one.
    private static string CanonicalHeaderValue(string value) =>
        string.Join(' ', value.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    /// <summary>RFC 3986 percent-encoding of everything but unreserved characters, upper-case hex, over UTF-8.</summary>
    private static string UriEncode(string value)
    {
        var encoded = new StringBuilder(value.Length);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            if (UnreservedCharacters.Contains((char)b, StringComparison.Ordinal))
            {
                encoded.Append((char)b);
            }
            else
            {
                encoded.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return encoded.ToString();
    }
}
