using System.Globalization;

namespace SocketRelay.Infrastructure.Connections;

/// <summary>
/// Signs an <see cref="HttpRequestMessage"/> with AWS Signature Version 4 in the <c>Authorization</c>
/// header. The canonical request is <see cref="SigV4CanonicalRequest"/>'s; the signing key is AWSSDK.Core's
/// derivation, kept for the day (<see cref="SigV4SigningKeys"/>).
/// Signed headers: <c>host</c>, <c>x-amz-date</c>, <c>x-amz-security-token</c> (temporary credentials,
/// as Lambda's are) and any other <c>x-amz-*</c> header already on the request.
/// </summary>
public sealed class SigV4Signer
{
    private const string AmzDateHeader = "X-Amz-Date";
    private const string SecurityTokenHeader = "X-Amz-Security-Token";
    private const string AuthorizationHeader = "Authorization";

    private readonly IAwsCredentialsProvider _credentials;
    private readonly TimeProvider _timeProvider;
    private readonly SigV4SigningKeys _signingKeys = new();

    public SigV4Signer(IAwsCredentialsProvider credentials, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _credentials = credentials;
        _timeProvider = timeProvider;
    }

    /// <summary>
    /// Adds <c>X-Amz-Date</c>, <c>X-Amz-Security-Token</c> when the credentials have one, and
    /// <c>Authorization</c>, replacing any earlier signature. The request's content is hashed as it is
    /// now, so it must not change afterwards.
    /// </summary>
    public async ValueTask SignAsync(HttpRequestMessage request, string region, string service, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(region);
        ArgumentException.ThrowIfNullOrEmpty(service);
        var uri = request.RequestUri is { IsAbsoluteUri: true } absolute
            ? absolute
            : throw new ArgumentException("The request needs an absolute URI to be signed.", nameof(request));

        var credentials = await _credentials.GetCredentialsAsync(cancellationToken);
        var payload = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        var now = _timeProvider.GetUtcNow().UtcDateTime;
        var signedAt = new DateTime(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);

        var headers = request.Headers;
        headers.Remove(AuthorizationHeader);
        headers.Remove(AmzDateHeader);
        headers.Remove(SecurityTokenHeader);
        headers.Host ??= HostHeaderOf(uri);
        var amzDate = signedAt.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        headers.TryAddWithoutValidation(AmzDateHeader, amzDate);
        if (credentials.UseToken)
        {
            headers.TryAddWithoutValidation(SecurityTokenHeader, credentials.Token);
        }

        var signedHeaders = HeadersToSign(headers);
        var canonicalRequest = SigV4CanonicalRequest.Build(
            request.Method.Method, uri, signedHeaders, SigV4CanonicalRequest.HashPayload(payload));
        var (key, scope) = _signingKeys.For(credentials.SecretKey, amzDate.AsSpan(0, 8), region, service);
        var signature = SigV4SigningKeys.Sign(key, SigV4SigningKeys.StringToSign(amzDate, scope, canonicalRequest));
        headers.TryAddWithoutValidation(
            AuthorizationHeader,
            $"{SigV4SigningKeys.Algorithm} Credential={credentials.AccessKey}/{scope}, SignedHeaders={SigV4CanonicalRequest.SignedHeaders(signedHeaders)}, Signature={signature}");
    }

    internal static List<KeyValuePair<string, string>> HeadersToSign(System.Net.Http.Headers.HttpRequestHeaders headers)
    {
        var signed = new List<KeyValuePair<string, string>> { new("host", headers.Host!) };
        foreach (var header in headers.NonValidated)
        {
            if (header.Key.StartsWith("x-amz-", StringComparison.OrdinalIgnoreCase))
            {
                signed.Add(new(header.Key.ToLowerInvariant(), string.Join(',', header.Value)));
            }
        }

        return signed;
    }

    private static string HostHeaderOf(Uri uri)
    {
        var host = uri.HostNameType == UriHostNameType.IPv6 ? $"[{uri.IdnHost}]" : uri.IdnHost;
        return uri.IsDefaultPort ? host : $"{host}:{uri.Port.ToString(CultureInfo.InvariantCulture)}";
    }
}
