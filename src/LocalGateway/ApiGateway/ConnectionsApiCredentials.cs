using System.Text.RegularExpressions;
using SocketRelay.Application.Configuration;

namespace SocketRelay.LocalGateway.ApiGateway;

/// <summary>
/// The access key the local <c>@connections</c> API accepts SigV4 signatures from: the gateway gives
/// the same pair to its function as <c>AWS_ACCESS_KEY_ID</c> / <c>AWS_SECRET_ACCESS_KEY</c>, as Lambda
/// gives a function its execution role's credentials. Not secret: they only open this machine's
/// loopback-only API, and they are printed in the banner.
/// </summary>
/// <param name="AccessKeyId">16–128 letters, digits or <c>_</c>, IAM's rule for an access key id (<c>--access-key-id</c>).</param>
/// <param name="SecretAccessKey">1–128 characters among letters, digits and <c>+ / = _ . -</c>, so it can be pasted into a shell unquoted (<c>--secret-access-key</c>).</param>
public sealed partial record ConnectionsApiCredentials(string AccessKeyId, string SecretAccessKey)
{
    public const string DefaultAccessKeyId = "SOCKETRELAYLOCALKEY";

    public const string DefaultSecretAccessKey = "socketrelay-local-secret";

    public static ConnectionsApiCredentials Default { get; } = new(DefaultAccessKeyId, DefaultSecretAccessKey);

    /// <summary>
    /// The session token the function is given as <c>AWS_SESSION_TOKEN</c> (Lambda always sets one: its
    /// credentials are temporary). Requests that carry it, or no token, are accepted; any other token is refused.
    /// </summary>
    public const string SessionToken = "socketrelay-local-session";

    /// <summary>Every value that breaks the rules above, named <c>AccessKeyId</c> or <c>SecretAccessKey</c>.</summary>
    public IEnumerable<OptionProblem> Problems()
    {
        if (!AccessKeyIdRule().IsMatch(AccessKeyId ?? ""))
        {
            yield return new(nameof(AccessKeyId), $"must be 16–128 letters, digits or '_', as IAM access key ids are (was '{AccessKeyId}')");
        }

        if (!SecretRule().IsMatch(SecretAccessKey ?? ""))
        {
            yield return new(nameof(SecretAccessKey), "must be 1–128 characters among letters, digits and + / = _ . - (the value is not repeated here)");
        }
    }

    /// <summary>The secret stays out of logs and exception messages.</summary>
    public override string ToString() => $"{AccessKeyId} (secret hidden)";

    [GeneratedRegex("^[A-Za-z0-9_]{16,128}$", RegexOptions.CultureInvariant)]
    private static partial Regex AccessKeyIdRule();

    [GeneratedRegex("^[A-Za-z0-9+/=_.-]{1,128}$", RegexOptions.CultureInvariant)]
    private static partial Regex SecretRule();
}
