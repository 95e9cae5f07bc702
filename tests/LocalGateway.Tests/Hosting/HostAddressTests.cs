using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using SocketRelay.Infrastructure.Serialization;
using SocketRelay.LocalGateway.Hosting;
using SocketRelay.LocalGateway.Tests.Gateway;
using SocketRelay.TestSupport;

namespace SocketRelay.LocalGateway.Tests.Hosting;

/// <summary>
/// <c>--host ::1</c> and <c>--host &lt;LAN address&gt;</c>: the in-process function posts its replies to an
/// address the gateway listens on, the banner prints reachable URLs, and the console answers on that address.
/// </summary>
public sealed class HostAddressTests : IDisposable
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "socketrelay-host-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Bound_to_IPv6_loopback_the_function_replies_and_the_banner_prints_bracketed_urls()
    {
        await using var gateway = await StartAsync("::1");

        Assert.Equal("[::1]", gateway.ConnectionsEndpoint.Host);
        var banner = Banner.For(gateway);
        Assert.Contains($"ws://[::1]:{gateway.HttpUrl.Port}", banner, StringComparison.Ordinal);
        Assert.Contains($"http://[::1]:{gateway.HttpUrl.Port}/local/@connections/", banner, StringComparison.Ordinal);
        Assert.Contains("in-process (1 execution environment)", banner, StringComparison.Ordinal);
        await AssertRepliesAsync(gateway);
    }

    [Fact]
    public async Task Bound_to_a_LAN_address_the_function_replies_and_the_console_answers_on_that_address()
    {
        var address = LocalNetwork.FirstLanAddress();
        if (address is null)
        {
            return; // A machine without a network address has no LAN address to bind.
        }

        await using var gateway = await StartAsync(address.ToString());

        Assert.Equal(address.ToString(), gateway.ConnectionsEndpoint.Host);
        Assert.Contains($"http://{address}:{gateway.HttpUrl.Port}/_local/", Banner.For(gateway), StringComparison.Ordinal);
        await AssertRepliesAsync(gateway);
        using var http = new HttpClient { BaseAddress = gateway.HttpUrl };
        foreach (var path in new[] { "/_local/", "/_local/status", "/_local/api/messages" })
        {
            using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using var rebound = new HttpRequestMessage(HttpMethod.Get, "/_local/status") { Headers = { Host = "attacker.example" } };
        using var refused = await http.SendAsync(rebound);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    public void Dispose()
    {
        if (Directory.Exists(_dataDir))
        {
            Directory.Delete(_dataDir, recursive: true);
        }
    }

    private static async Task AssertRepliesAsync(GatewayHost gateway)
    {
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(gateway.WebSocketUrl, CancellationToken.None);
        await socket.SendTextAsync("{\"a\":1}");
        var reply = JsonSerializer.Deserialize(await socket.ReceiveTextAsync(), SocketRelayJsonContext.Wire.ReplyEnvelope)!;
        Assert.Equal("{\"a\":1}", reply.Message);
    }

    private Task<GatewayHost> StartAsync(string host) => GatewayHost.StartAsync(
        new GatewayOptions { Host = host, Port = 0, DataDir = _dataDir, Pollers = 1, FunctionTimeoutSeconds = 5, VisibilityTimeoutSeconds = 5 },
        Environment.GetEnvironmentVariable,
        TextWriter.Null,
        logging => logging.SetMinimumLevel(LogLevel.Warning));
}
