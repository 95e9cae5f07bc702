using System.Net;

namespace SocketRelay.LocalGateway.ApiGateway;

/// <summary>
/// The one rule for the gateway's unauthenticated APIs (<c>@connections</c> and <c>/_local/</c>):
/// only a caller on this machine may use them.
/// </summary>
/// <remarks>
/// A caller is on this machine when its address is loopback or, for a gateway bound to one
/// non-loopback address (<c>--host 192.168.1.20</c>, which has no loopback listener), when its
/// address is that very address: only this machine sends from its own address (a peer elsewhere
/// cannot complete a TCP handshake with it). A wildcard bind (<c>0.0.0.0</c>, <c>::</c>) keeps
/// loopback only: the gateway's own clients use <c>127.0.0.1</c> there.
/// </remarks>
public static class LoopbackCallers
{
    /// <summary>
    /// True for a loopback address (<c>127.0.0.0/8</c>, <c>::1</c>, and IPv4 loopback mapped to IPv6).
    /// A caller without an address is refused: the gateway listens on IP sockets only, so a missing
    /// address is never a known local caller, and an API without authentication fails closed.
    /// Also true when <paramref name="remoteAddress"/> is <paramref name="boundAddress"/>, the one
    /// non-loopback address the gateway is bound to (null, or a wildcard, adds nothing).
    /// </summary>
    public static bool IsAllowed(IPAddress? remoteAddress, IPAddress? boundAddress = null)
    {
        if (remoteAddress is null)
        {
            return false;
        }

        var remote = Normalize(remoteAddress);
        return IPAddress.IsLoopback(remote) || IsBoundAddress(remote, boundAddress);
    }

    /// <summary>Whether <paramref name="address"/> is <paramref name="boundAddress"/>, a specific (not wildcard) bound address.</summary>
    public static bool IsBoundAddress(IPAddress address, IPAddress? boundAddress) =>
        boundAddress is not null
        && !boundAddress.Equals(IPAddress.Any) && !boundAddress.Equals(IPAddress.IPv6Any)
        && Normalize(address).Equals(Normalize(boundAddress));

    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
