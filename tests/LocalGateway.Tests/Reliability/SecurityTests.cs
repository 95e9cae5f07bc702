using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using SocketRelay.LocalGateway.ApiGateway;
using SocketRelay.LocalGateway.Hosting;
using SocketRelay.LocalGateway.Tests.ApiGateway;
using SocketRelay.TestSupport;

namespace SocketRelay.LocalGateway.Tests.Reliability;

public sealed class SecurityTests
{
    [Fact]
    public async Task By_default_the_gateway_listens_on_loopback_only()
    {
        Assert.Equal("127.0.0.1", new GatewayOptions().Host);
        await using var gateway = await ReliabilityGateway.StartAsync(_ => { }, new Dictionary<string, string>());

        Assert.Equal("127.0.0.1", gateway.Host.HttpUrl.Host);
        foreach (var address in LocalNonLoopbackAddresses())
        {
            using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            var refused = await Record.ExceptionAsync(() => socket.ConnectAsync(address, gateway.Host.HttpUrl.Port));
            Assert.IsType<SocketException>(refused);
        }
    }

    [Theory]
    [InlineData("0.0.0.0", true)]
    [InlineData("192.168.1.20", true)]
    [InlineData("::", true)]
    [InlineData("127.0.0.1", false)]
    [InlineData("::1", false)]
    [InlineData("localhost", false)]
    public void Binding_beyond_loopback_prints_a_warning(string host, bool warned) =>
        Assert.Equal(warned, Banner.Warnings(new GatewayOptions { Host = host }).Any(w => w.Contains("reachable from the network", StringComparison.Ordinal)));

    [Fact]
    public void Fault_injection_is_announced_so_it_is_never_left_on_unnoticed() =>
        Assert.Contains(Banner.Warnings(new GatewayOptions { FaultRate = 0.2 }), w => w.StartsWith("FAULT INJECTION: 20 %", StringComparison.Ordinal)
            || w.StartsWith("FAULT INJECTION: 20%", StringComparison.Ordinal));

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("::1", true)]
    [InlineData("::ffff:127.0.0.1", true)]
    [InlineData("192.168.1.20", false)]
    [InlineData("::ffff:10.0.0.1", false)]
    [InlineData("2001:db8::1", false)]
    public void Only_loopback_callers_may_use_the_unauthenticated_APIs(string address, bool allowed)
    {
        Assert.Equal(allowed, LoopbackCallers.IsAllowed(IPAddress.Parse(address)));
        Assert.Equal(allowed, ManagementRequestTarget.IsClientAllowed(IPAddress.Parse(address), new ApiGatewayOptions()));
    }

    [Fact]
    public void A_caller_without_an_address_may_use_neither_the_status_nor_the_management_API()
    {
        Assert.False(LoopbackCallers.IsAllowed(null));
        Assert.False(ManagementRequestTarget.IsClientAllowed(null, new ApiGatewayOptions()));
    }

    [Fact]
    public async Task No_message_body_appears_in_gateway_or_function_logs_at_Information()
    {
        const string Secret = "s3cr3t-b0dy";
        var gatewayLogs = new RecordingLoggerProvider();
        await using var gateway = await ReliabilityGateway.StartAsync(
            options => options.FaultRate = 0.5,
            new Dictionary<string, string>(ReliabilityGateway.FastRetries, StringComparer.Ordinal) { ["POWERTOOLS_LOG_LEVEL"] = "Information", ["AWS_LAMBDA_LOG_LEVEL"] = "INFO" },
            logging => logging.AddProvider(gatewayLogs).SetMinimumLevel(LogLevel.Information));
        await using (var leaving = await LedgerClient.ConnectAsync(gateway.Host.WebSocketUrl, null))
        {
            await leaving.SendLargeAsync($$"""{"secret":"{{Secret}}","seq":0}""");

            // Leaving before the gateway has read the frame would abort the socket with the message unread.
            await gateway.Status.WaitForAsync(c => c.Accepted >= 1, TimeSpan.FromSeconds(10));
        }

        await using var client = await LedgerClient.ConnectAsync(gateway.Host.WebSocketUrl, "logged");
        await client.SendLargeAsync($$"""{"MessageGroupId":"logged","secret":"{{Secret}}","seq":0}""");
        await client.SendLargeAsync($$"""{"MessageGroupId":"a b","secret":"{{Secret}}","seq":1}""");
        await gateway.Status.WaitUntilDrainedAsync(2, TimeSpan.FromSeconds(45)); // a reply failed by injected faults waits out the 10 s visibility timeout

        await Eventually.TrueAsync(() => client.UniqueReplies == 1 && client.ErrorFrames == 1, TimeSpan.FromSeconds(10), "the reply and the error frame");
        Assert.Contains(gatewayLogs.Entries, e => e.Message.Contains("rejected", StringComparison.Ordinal));
        Assert.DoesNotContain(gatewayLogs.Entries, e => e.Level >= LogLevel.Information && e.Message.Contains(Secret, StringComparison.Ordinal));
        Assert.Contains("\"level\":\"Information\"", gateway.FunctionLogs.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, gateway.FunctionLogs.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1.5, "429", 0, "--fault-rate")]
    [InlineData(-0.1, "429", 0, "--fault-rate")]
    [InlineData(0.1, "404", 0, "--fault-status")]
    [InlineData(0.1, "429,abc", 0, "--fault-status")]
    [InlineData(0.1, "", 0, "--fault-status")]
    [InlineData(0.1, "429", -1, "--fault-latency-ms")]
    public void Fault_settings_out_of_range_are_refused_by_name(double rate, string statuses, int latency, string option) =>
        Assert.Contains(new GatewayOptions { FaultRate = rate, FaultStatus = statuses, FaultLatencyMs = latency }.Problems(), p => p.Name == option);

    [Fact]
    public void The_help_text_documents_every_fault_option() =>
        Assert.All(["--fault-rate", "--fault-status", "--fault-latency-ms", "--fault-seed"], option => Assert.Contains(option, CommandLine.Help(), StringComparison.Ordinal));

    private static IEnumerable<IPAddress> LocalNonLoopbackAddresses() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .Where(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));
}
