using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using SocketRelay.Infrastructure.Connections;

namespace SocketRelay.LocalGateway.ApiGateway;

/// <summary>
/// Why a request to <c>@connections</c> was refused: API Gateway's <c>x-amzn-ErrorType</c> and message, and for the
/// gateway's own log a <paramref name="Hint"/> where AWS's message does not say what to change.
/// </summary>
internal sealed record ManagementRefusal(string ErrorType, string Message, string? Hint = null)
{
    public static ManagementRefusal Forbidden { get; } = new("ForbiddenException", "Forbidden");
}

/// <summary>What <see cref="SigV4Verifier.ReadAuthorization"/> took from a request's SigV4 headers.</summary>
internal sealed record SigV4Authorization(string SignedHeaders, string Signature, DateTime SignedAt, string Scope);

/// <summary>
/// Checks the SigV4 signature of an <c>@connections</c> request as API Gateway does for IAM-authorized
/// calls: header authorization (<c>Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…,
/// Signature=…</c> with <c>X-Amz-Date</c>), scoped to this gateway's region and <c>execute-api</c>,
/// signed by <see cref="ApiGatewayOptions.Credentials"/>, dated within 5 minutes of now. Every refusal
/// is 403 with AWS's error type and message: <c>MissingAuthenticationTokenException</c>,
/// <c>IncompleteSignatureException</c>, <c>UnrecognizedClientException</c> or <c>InvalidSignatureException</c>.
/// </summary>
/// <remarks>
/// The canonical request is <see cref="SigV4CanonicalRequest"/>'s (AWS's form: each path segment of the
/// wire path URI-encoded once more). One more form is accepted: the path exactly as sent, which is what
/// curl 7.x's <c>--aws-sigv4</c> signs, so that the banner's <c>curl</c> example works. Query-string
/// (presigned) authorization is not supported.
/// </remarks>
internal sealed class SigV4Verifier(ApiGatewayOptions options, TimeProvider time)
{
    public const string Service = "execute-api";
    private const string Algorithm = SigV4SigningKeys.Algorithm;
    private const string AmzDateFormat = "yyyyMMdd'T'HHmmss'Z'";
    private static readonly TimeSpan AllowedSkew = TimeSpan.FromMinutes(5);
    private readonly SigV4SigningKeys _signingKeys = new();

    /// <summary>
    /// Everything that can be checked before the body is read: the header is there and complete, the
    /// scope is this gateway's, the date is fresh and the access key is the one this gateway issued.
    /// </summary>
    public bool ReadAuthorization(HttpRequest request, out SigV4Authorization? authorization, out ManagementRefusal? refusal)
    {
        authorization = null;
        var header = request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            refusal = new("MissingAuthenticationTokenException", "Missing Authentication Token");
            return false;
        }

        var parameters = ParseParameters(header, out var malformed);
        if (malformed is not null)
        {
            refusal = new("IncompleteSignatureException", $"'{malformed}' not a valid key=value pair (missing equal-sign) in Authorization header: '{header}'.");
            return false;
        }

        var dateText = request.Headers["X-Amz-Date"].ToString();
        var missing = new StringBuilder();
        foreach (var name in new[] { "Credential", "Signature", "SignedHeaders" })
        {
            if (!parameters.ContainsKey(name))
            {
                missing.Append(CultureInfo.InvariantCulture, $"Authorization header requires '{name}' parameter. ");
            }
        }

        if (dateText.Length == 0 && request.Headers.Date.Count == 0)
        {
            missing.Append("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ");
        }

        if (missing.Length > 0 || !header.StartsWith(Algorithm + " ", StringComparison.Ordinal))
        {
            refusal = new("IncompleteSignatureException", $"{missing}Authorization={header}");
            return false;
        }

        if (!TryParseDate(dateText, request.Headers.Date.ToString(), out var signedAt))
        {
            refusal = new("IncompleteSignatureException", $"Date must be in ISO-8601 'basic format'. Got '{dateText}'. See http://en.wikipedia.org/wiki/ISO_8601");
            return false;
        }

        refusal = CheckCredential(parameters["Credential"], signedAt) ?? CheckClock(signedAt) ?? CheckToken(request);
        if (refusal is not null)
        {
            return false;
        }

        var scope = parameters["Credential"][(parameters["Credential"].IndexOf('/', StringComparison.Ordinal) + 1)..];
        authorization = new SigV4Authorization(parameters["SignedHeaders"], parameters["Signature"], signedAt, scope);
        return true;
    }

    /// <summary>
    /// Recomputes the signature over the request as it arrived (<paramref name="wirePath"/> and
    /// <paramref name="query"/> from the raw request target, the signed headers, the body) and compares.
    /// </summary>
    public bool VerifySignature(HttpRequest request, SigV4Authorization authorization, string wirePath, string query, ReadOnlySpan<byte> body, out ManagementRefusal? refusal)
    {
        var names = authorization.SignedHeaders.Split(';');
        var headers = new List<KeyValuePair<string, string>>(names.Length);
        foreach (var name in names)
        {
            // A repeated header is signed as its values joined by commas, empty ones included.
            var values = request.Headers[name];
            headers.Add(new(name, values.Count == 1 ? values[0] ?? "" : string.Join(',', values.Select(v => v ?? ""))));
        }

        var payloadHash = SigV4CanonicalRequest.HashPayload(body);
        var canonical = SigV4CanonicalRequest.Build(request.Method, SigV4CanonicalRequest.CanonicalPath(wirePath), query, headers, payloadHash);
        if (Matches(canonical, authorization) || Matches(SigV4CanonicalRequest.Build(request.Method, wirePath, query, headers, payloadHash), authorization))
        {
            refusal = null;
            return true;
        }

        refusal = new(
            "InvalidSignatureException",
            "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.\n\n"
            + $"The Canonical String for this request should have been\n'{canonical}'\n\nThe String-to-Sign should have been\n'{StringToSign(canonical, authorization)}'\n");
        return false;
    }

    private bool Matches(string canonicalRequest, SigV4Authorization authorization)
    {
        var signature = SigV4SigningKeys.Sign(SigningKeyFor(authorization), StringToSign(canonicalRequest, authorization));
        return CryptographicOperations.FixedTimeEquals(MemoryMarshal.AsBytes(signature.AsSpan()), MemoryMarshal.AsBytes(authorization.Signature.AsSpan()));
    }

    /// <summary>
    /// The string to sign, over the request's own scope, which <see cref="CheckCredential"/> has held to this
    /// gateway's date, region and service.
    /// </summary>
    private static string StringToSign(string canonicalRequest, SigV4Authorization authorization) =>
        SigV4SigningKeys.StringToSign(Format(authorization.SignedAt), authorization.Scope, canonicalRequest);

    /// <summary>
    /// The signing key for the day of the request's scope (<c>yyyyMMdd/…</c>, which <see cref="CheckCredential"/>
    /// has held to its <c>X-Amz-Date</c>), derived once a day.
    /// </summary>
    private byte[] SigningKeyFor(SigV4Authorization authorization) =>
        _signingKeys.For(
            options.Credentials.SecretAccessKey,
            authorization.Scope.AsSpan(0, authorization.Scope.IndexOf('/', StringComparison.Ordinal)),
            options.Region,
            Service).Key;

    private ManagementRefusal? CheckCredential(string credential, DateTime signedAt)
    {
        var parts = credential.Split('/');
        if (parts.Length != 5)
        {
            return new("IncompleteSignatureException", $"Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '{credential}'");
        }

        var date = signedAt.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        if (parts[1] != date)
        {
            return new("InvalidSignatureException", $"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{parts[1]}' != '{date}', from '{signedAt.ToString(AmzDateFormat, CultureInfo.InvariantCulture)}'.");
        }

        var problems = new StringBuilder();
        if (parts[2] != options.Region)
        {
            problems.Append("Credential should be scoped to a valid region. ");
        }

        if (parts[3] != Service)
        {
            problems.Append(CultureInfo.InvariantCulture, $"Credential should be scoped to correct service: '{Service}'. ");
        }

        if (parts[4] != "aws4_request")
        {
            problems.Append(CultureInfo.InvariantCulture, $"Credential should be scoped with a valid terminator: 'aws4_request', not '{parts[4]}'. ");
        }

        if (problems.Length > 0)
        {
            return new("InvalidSignatureException", problems.ToString());
        }

        return parts[0] == options.Credentials.AccessKeyId
            ? null
            : new("UnrecognizedClientException", "The security token included in the request is invalid.",
                $"signed with access key {parts[0]}; this gateway accepts only {options.Credentials.AccessKeyId} (--access-key-id)");
    }

    private ManagementRefusal? CheckClock(DateTime signedAt)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (signedAt < now - AllowedSkew)
        {
            return new("InvalidSignatureException", $"Signature expired: {Format(signedAt)} is now earlier than {Format(now - AllowedSkew)} ({Format(now)} - 5 min.)");
        }

        if (signedAt > now + AllowedSkew)
        {
            return new("InvalidSignatureException", $"Signature not yet current: {Format(signedAt)} is still later than {Format(now + AllowedSkew)} ({Format(now)} + 5 min.)");
        }

        return null;
    }

    /// <summary>
    /// The key signs on its own (as long-term keys do: the banner's <c>curl</c> and <c>aws</c> examples) or with
    /// the one session token the gateway gives its function (as Lambda gives an execution role's temporary
    /// credentials); any other token is not the gateway's.
    /// </summary>
    private static ManagementRefusal? CheckToken(HttpRequest request) =>
        request.Headers.TryGetValue("X-Amz-Security-Token", out var token) && token.ToString() != ConnectionsApiCredentials.SessionToken
            ? new("UnrecognizedClientException", "The security token included in the request is invalid.",
                "the request carries a session token (X-Amz-Security-Token) this gateway did not issue: sign with its key and no token (unset AWS_SESSION_TOKEN)")
            : null;

    private static string Format(DateTime time) => time.ToString(AmzDateFormat, CultureInfo.InvariantCulture);

    private static bool TryParseDate(string amzDate, string httpDate, out DateTime signedAt)
    {
        if (amzDate.Length > 0)
        {
            return DateTime.TryParseExact(amzDate, AmzDateFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out signedAt);
        }

        var parsed = DateTimeOffset.TryParseExact(httpDate, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date);
        signedAt = date.UtcDateTime;
        return parsed;
    }

    /// <summary>The <c>key=value</c> pairs after the algorithm; <paramref name="malformed"/> names the first part without <c>=</c>.</summary>
    private static Dictionary<string, string> ParseParameters(string header, out string? malformed)
    {
        malformed = null;
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!header.StartsWith(Algorithm + " ", StringComparison.Ordinal))
        {
            return parameters;
        }

        foreach (var part in header[(Algorithm.Length + 1)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                malformed = part;
                return parameters;
            }

            parameters[part[..equals]] = part[(equals + 1)..];
        }

        return parameters;
    }
}
