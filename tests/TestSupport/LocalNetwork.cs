using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace SocketRelay.TestSupport;

/// <summary>This machine's network addresses, for tests that bind to or call from one that is not loopback.</summary>
public static class LocalNetwork
{
    /// <summary>The first IPv4 address of an interface that is up and not loopback; null on a machine without a network.</summary>
    public static IPAddress? FirstLanAddress() => NetworkInterface.GetAllNetworkInterfaces()
        .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
        .SelectMany(n => n.GetIPProperties().UnicastAddresses)
        .Select(a => a.Address)
        .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));
}
