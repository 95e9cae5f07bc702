using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using SocketRelay.TestSupport;

namespace SocketRelay.Infrastructure.Tests.Connections;

/// <summary>
/// Recomputes a SigV4 signature from a request exactly as the server received it, with nothing but
/// HMAC-SHA256, the way API Gateway checks it: the raw path encoded once more, segment by segment.
/// </summary>
public static class IndependentSigV4Verifier
{
    public sealed record ParsedAuthorization(string AccessKey, string Date, string Region, string Service, string Terminator, string[] SignedHeaders, string Signature);

    public static ParsedAuthorization Parse(string authorization)
    {
        const string Algorithm = "AWS4-HMAC-SHA256 ";
        Assert.StartsWith(Algorithm, authorization, StringComparison.Ordinal);
        var parts = authorization[Algorithm.Length..]
            .Split(", ")
            .Select(part => part.Split('=', 2))
            .ToDictionary(kv => kv[0], kv => kv[1], StringComparer.Ordinal);
        var scope = parts["Credential"].Split('/');
        Assert.Equal(5, scope.Length);
        return new ParsedAuthorization(scope[0], scope[1], scope[2], scope[3], scope[4], parts["SignedHeaders"].Split(';'), parts["Signature"]);
    }

    public static string ExpectedSignature(ConnectionsRequest request, string secretKey)
    {
        var authorization = Parse(request.Header("Authorization"));
        var amzDate = request.Header("X-Amz-Date");
        var path = request.RawTarget.Split('?')[0];
        var canonicalRequest = new StringBuilder()
            .Append(request.Method).Append('\n')
            .Append(string.Join('/', path.Split('/').Select(EncodeEveryReservedByte))).Append('\n')
            .Append('\n');
        foreach (var name in authorization.SignedHeaders)
        {
            canonicalRequest.Append(name).Append(':').Append(request.Header(name).Trim()).Append('\n');
        }

        canonicalRequest.Append('\n')
            .Append(string.Join(';', authorization.SignedHeaders)).Append('\n')
            .Append(Hex(SHA256.HashData(request.Body)));

        var scope = $"{authorization.Date}/{authorization.Region}/{authorization.Service}/aws4_request";
        var stringToSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest.ToString())))}";
        var key = Encoding.UTF8.GetBytes("AWS4" + secretKey);
        foreach (var step in new[] { authorization.Date, authorization.Region, authorization.Service, "aws4_request" })
        {
            key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(step));
        }

        return Hex(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));
    }

    private static string EncodeEveryReservedByte(string segment)
    {
        var encoded = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(segment))
        {
            var c = (char)b;
            var unreserved = char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~';
            encoded.Append(unreserved ? c.ToString() : "%" + b.ToString("X2", CultureInfo.InvariantCulture));
        }

        return encoded.ToString();
    }

    private static string Hex(byte[] bytes) => string.Concat(bytes.Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));
}
