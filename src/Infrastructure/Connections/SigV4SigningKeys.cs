using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Amazon.Runtime.Internal.Auth;

namespace SocketRelay.Infrastructure.Connections;

/// <summary>
/// SigV4 signing keys, kept for the secret, day, region and service they were derived for. The key
/// (AWSSDK.Core's derivation: HMAC-SHA256 over <c>"AWS4" + secret</c>, then <c>yyyyMMdd</c>, region,
/// service and <c>aws4_request</c>) depends on nothing else, so a signer or verifier derives it once a
/// day instead of four HMACs per request. The last key derived is kept; thread safe.
/// </summary>
/// <remarks>Source: AWS's "Calculate the signature for AWS Signature Version 4" (IAM user guide).</remarks>
public sealed class SigV4SigningKeys
{
    /// <summary>The signing algorithm's name, first in the string to sign and in the <c>Authorization</c> header.</summary>
    public const string Algorithm = "AWS4-HMAC-SHA256";

    private DerivedKey? _last;

    /// <summary>
    /// The 32-byte signing key and the credential scope (<c>{date}/{region}/{service}/aws4_request</c>) for
    /// <paramref name="date"/> (<c>yyyyMMdd</c>).
    /// </summary>
    public (byte[] Key, string Scope) For(string secretAccessKey, ReadOnlySpan<char> date, string region, string service)
    {
        ArgumentNullException.ThrowIfNull(secretAccessKey);
        ArgumentException.ThrowIfNullOrEmpty(region);
        ArgumentException.ThrowIfNullOrEmpty(service);
        if (Volatile.Read(ref _last) is { } last
            && date.SequenceEqual(last.Date)
            && string.Equals(last.Region, region, StringComparison.Ordinal)
            && string.Equals(last.Service, service, StringComparison.Ordinal)
            && string.Equals(last.Secret, secretAccessKey, StringComparison.Ordinal))
        {
            return (last.Key, last.Scope);
        }

        var day = date.ToString();
        var derived = new DerivedKey(
            secretAccessKey, day, region, service,
            AWS4Signer.ComposeSigningKey(secretAccessKey, region, day, service),
            $"{day}/{region}/{service}/aws4_request");
        Volatile.Write(ref _last, derived);
        return (derived.Key, derived.Scope);
    }

    /// <summary>
    /// The string to sign: the algorithm, <paramref name="amzDate"/> (<c>yyyyMMdd'T'HHmmss'Z'</c>), the
    /// credential scope and the lower-case hex SHA-256 of the canonical request, one per line.
    /// </summary>
    public static string StringToSign(string amzDate, string scope, string canonicalRequest)
    {
        ArgumentNullException.ThrowIfNull(canonicalRequest);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        DigestOfUtf8(key: null, canonicalRequest, hash);
        return $"{Algorithm}\n{amzDate}\n{scope}\n{Convert.ToHexStringLower(hash)}";
    }

    /// <summary>The <c>Signature</c>: the lower-case hex HMAC-SHA256 of <paramref name="stringToSign"/> under <paramref name="key"/>.</summary>
    public static string Sign(byte[] key, string stringToSign)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(stringToSign);
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        DigestOfUtf8(key, stringToSign, mac);
        return Convert.ToHexStringLower(mac);
    }

    /// <summary>SHA-256 of <paramref name="text"/>'s UTF-8 bytes, or HMAC-SHA256 under <paramref name="key"/>, without allocating for texts up to 2 KB.</summary>
    private static void DigestOfUtf8(byte[]? key, string text, Span<byte> digest)
    {
        var maxBytes = Encoding.UTF8.GetMaxByteCount(text.Length);
        var rented = maxBytes > 2048 ? ArrayPool<byte>.Shared.Rent(maxBytes) : null;
        try
        {
            Span<byte> buffer = rented is null ? stackalloc byte[2048] : rented;
            var utf8 = buffer[..Encoding.UTF8.GetBytes(text, buffer)];
            if (key is null)
            {
                SHA256.HashData(utf8, digest);
            }
            else
            {
                HMACSHA256.HashData(key, utf8, digest);
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private sealed record DerivedKey(string Secret, string Date, string Region, string Service, byte[] Key, string Scope);
}
