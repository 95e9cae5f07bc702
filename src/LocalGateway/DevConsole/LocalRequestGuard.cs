using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using SocketRelay.LocalGateway.ApiGateway;

namespace SocketRelay.LocalGateway.DevConsole;

/// <summary>
/// Who may use the developer console. It has no authentication, so: only callers on this machine
/// (a loopback remote address) that named this machine in <c>Host</c> (so a page whose DNS name was
/// rebound to 127.0.0.1 cannot read it), and, for requests that change state, only the console's
/// own pages: a cross-site <c>Origin</c> or <c>Sec-Fetch-Site</c> is refused, and the request must
/// be one a plain HTML form cannot send (<c>Content-Type: application/json</c> or an
/// <c>X-SocketRelay-Console</c> header), so a browser asks the gateway first (CORS preflight), which it never grants.
/// </summary>
public static class LocalRequestGuard
{
    /// <summary>The header the console's own page sends with every request that changes state.</summary>
    public const string ConsoleHeader = "X-SocketRelay-Console";

    /// <summary>Null when the caller may read; otherwise why not, for the 403 answer.</summary>
    public static string? RefuseRead(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (!LoopbackCallers.IsAllowed(http.Connection.RemoteIpAddress, BoundAddress(http)))
        {
            return "/_local/ answers callers on this machine only";
        }

        return NamesThisMachine(http)
            ? null
            : "the Host header must name this machine (127.0.0.1, localhost, [::1] or the address given to --host)";
    }

    /// <summary>Null when the caller may change state (redrive, delete); otherwise why not.</summary>
    public static string? RefuseWrite(HttpContext http)
    {
        if (RefuseRead(http) is { } refused)
        {
            return refused;
        }

        var request = http.Request;
        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0 && !IsSameOrigin(origin, request))
        {
            return "cross-site request refused: Origin is not this gateway";
        }

        var fetchSite = request.Headers["Sec-Fetch-Site"].ToString();
        if (fetchSite.Length > 0 && fetchSite is not "same-origin" and not "none")
        {
            return "cross-site request refused: Sec-Fetch-Site is " + fetchSite;
        }

        var json = request.ContentType is { } type && type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase);
        return json || request.Headers.ContainsKey(ConsoleHeader)
            ? null
            : $"send Content-Type: application/json or an {ConsoleHeader} header: "
                + (HttpMethods.IsPost(request.Method) ? "a plain form post is refused" : $"a {request.Method} without either is refused");
    }

    /// <summary>Whether a caller at the request's remote address is on this machine (<see cref="LoopbackCallers.IsAllowed"/>).</summary>
    internal static bool IsFromThisMachine(HttpContext http) => LoopbackCallers.IsAllowed(http.Connection.RemoteIpAddress, BoundAddress(http));

    /// <summary>
    /// Whether the request's <c>Host</c> names this machine: a loopback name (<see cref="IsLoopbackHost"/>) or,
    /// written as an IP address, the one non-loopback address the gateway is bound to (<c>--host</c>).
    /// No other DNS name than <c>localhost</c> is accepted, so a rebound name cannot read the console.
    /// </summary>
    internal static bool NamesThisMachine(HttpContext http) =>
        IsLoopbackHost(http.Request.Host)
        || (http.Request.Host.HasValue
            && IPAddress.TryParse(http.Request.Host.Host.Trim('[', ']'), out var named)
            && LoopbackCallers.IsBoundAddress(named, BoundAddress(http)));

    private static IPAddress? BoundAddress(HttpContext http) => http.RequestServices.GetService<ApiGatewayOptions>()?.BoundAddress;

    /// <summary>127.0.0.1 (any 127/8 address), ::1 or localhost, with or without a port.</summary>
    internal static bool IsLoopbackHost(HostString host)
    {
        if (!host.HasValue)
        {
            return false;
        }

        var name = host.Host;
        if (string.Equals(name, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return IPAddress.TryParse(name.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address);
    }

    private static bool IsSameOrigin(string origin, HttpRequest request) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri)
        && string.Equals(uri.Scheme, request.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
}
