using System.Net;

namespace SocketRelay.LocalGateway.ApiGateway;

/// <summary>
/// The one rule for the gateway's unauthenticated APIs (<c>@connections</c> and <c>/_local/</c>):
/// only a caller on this machine may use them.
/// </summary>
public static class LoopbackCallers
{
    /// <summary>
    /// True for a loopback address (<c>127.0.0.0/8</c>, <c>::1</c>, and IPv4 loopback mapped to IPv6).
    /// A caller without an address is refused: the gateway listens on IP sockets only, so a missing
    /// address is never a known local caller, and an API without authentication fails closed.
    /// </summary>
    public static bool IsAllowed(IPAddress? remoteAddress) =>
        remoteAddress is not null
        && IPAddress.IsLoopback(remoteAddress.IsIPv4MappedToIPv6 ? remoteAddress.MapToIPv4() : remoteAddress);
}
