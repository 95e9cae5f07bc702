using System.Text.RegularExpressions;
using SocketRelay.Application.Configuration;

namespace SocketRelay.LocalGateway.ApiGateway;

/// <summary>
/// Limits and switches of the emulated API Gateway WebSocket API. The defaults are API Gateway's
/// own quotas; tests shorten the timeouts.
/// </summary>
public sealed partial class ApiGatewayOptions
{
    /// <summary>The stage the gateway serves: <c>--stage</c>'s default.</summary>
    public const string DefaultStage = "local";

    /// <summary>
    /// The stage: the first path segment of the <c>@connections</c> API (<c>/{stage}/@connections/{id}</c>)
    /// and, besides <c>/</c>, of the WebSocket API. API Gateway's rule: 1–128 letters, digits, <c>-</c>, <c>_</c>.
    /// </summary>
    public string Stage { get; set; } = DefaultStage;

    /// <summary>The region a request to <c>@connections</c> must be signed for (SigV4 credential scope).</summary>
    public string Region { get; set; } = "us-east-1";

    /// <summary>The only credentials <c>@connections</c> accepts, the ones the gateway gives its function.</summary>
    public ConnectionsApiCredentials Credentials { get; set; } = ConnectionsApiCredentials.Default;

    /// <summary>The largest inbound message (all frames together) and <c>@connections</c> payload: 128 KB.</summary>
    public int MaxMessageBytes { get; set; } = 128 * 1024;

    /// <summary>The largest single inbound WebSocket frame: 32 KB.</summary>
    public int MaxFrameBytes { get; set; } = 32 * 1024;

    /// <summary>A connection with no inbound message for this long is closed (1001 Going Away).</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>A connection older than this is closed (1001 Going Away), however busy it is.</summary>
    public TimeSpan MaxConnectionDuration { get; set; } = TimeSpan.FromHours(2);

    /// <summary>
    /// How long one outbound frame may take, waiting for earlier sends to that connection included.
    /// A client that does not read long enough for this to pass is treated as gone.
    /// </summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a closing connection waits for the client's close frame before dropping it.</summary>
    public TimeSpan CloseHandshakeTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// True (the default) answers <c>@connections</c> requests from anything but a loopback address
    /// with 403: the local API has no authentication, so only this machine may use it.
    /// </summary>
    public bool RestrictManagementToLoopback { get; set; } = true;

    /// <summary>
    /// The address the gateway is bound to (<c>--host</c>), or null. When it is one non-loopback address,
    /// a caller from that address counts as this machine for <c>@connections</c> and <c>/_local/</c>
    /// (see <see cref="LoopbackCallers"/>), and a <c>Host</c> header naming it names this machine.
    /// </summary>
    public System.Net.IPAddress? BoundAddress { get; set; }

    /// <summary>Injected <c>@connections</c> failures and latency, for testing; off by default.</summary>
    public ConnectionsFaultOptions Faults { get; set; } = new();

    /// <summary>Every setting that is out of range, by property name (<c>Faults.Rate</c> for a fault setting).</summary>
    public IEnumerable<OptionProblem> Problems()
    {
        if (!StageName().IsMatch(Stage ?? ""))
        {
            yield return new(nameof(Stage), $"must be 1–128 letters, digits, '-' or '_', as API Gateway requires of a stage name (was '{Stage}')");
        }

        if (!RegionName().IsMatch(Region ?? ""))
        {
            yield return new(nameof(Region), $"must be an AWS region name such as us-east-1 (was '{Region}')");
        }

        foreach (var problem in (Credentials ?? ConnectionsApiCredentials.Default).Problems())
        {
            yield return problem;
        }

        if (MaxMessageBytes < 1)
        {
            yield return new(nameof(MaxMessageBytes), $"must be at least 1 (was {MaxMessageBytes})");
        }

        if (MaxFrameBytes < 1)
        {
            yield return new(nameof(MaxFrameBytes), $"must be at least 1 (was {MaxFrameBytes})");
        }

        foreach (var (name, value) in new[]
        {
            (nameof(IdleTimeout), IdleTimeout),
            (nameof(MaxConnectionDuration), MaxConnectionDuration),
            (nameof(SendTimeout), SendTimeout),
            (nameof(CloseHandshakeTimeout), CloseHandshakeTimeout),
        })
        {
            if (value <= TimeSpan.Zero)
            {
                yield return new(name, $"must be positive (was {value})");
            }
        }

        foreach (var problem in Faults.Problems())
        {
            yield return problem.Renamed($"{nameof(Faults)}.{problem.Name}");
        }
    }

    /// <exception cref="InvalidOptionsException">Any of <see cref="Problems"/>, all listed.</exception>
    public void Validate() => InvalidOptionsException.ThrowIfAny(nameof(ApiGatewayOptions), Problems());

    [GeneratedRegex("^[A-Za-z0-9_-]{1,128}$", RegexOptions.CultureInvariant)]
    private static partial Regex StageName();

    [GeneratedRegex("^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$", RegexOptions.CultureInvariant)]
    private static partial Regex RegionName();
}
