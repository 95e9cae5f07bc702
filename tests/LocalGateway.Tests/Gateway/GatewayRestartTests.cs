using Microsoft.Extensions.Logging;
using SocketRelay.LocalGateway.Hosting;
using SocketRelay.LocalGateway.Queue;
using SocketRelay.TestSupport;

namespace SocketRelay.LocalGateway.Tests.Gateway;

public sealed class GatewayRestartTests : IDisposable
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "socketrelay-restart-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_dataDir, recursive: true);

    private Task<GatewayHost> StartAsync() => GatewayHost.StartAsync(
        new GatewayOptions { Port = 0, DataDir = _dataDir, Pollers = 2, FunctionTimeoutSeconds = 5, VisibilityTimeoutSeconds = 5 },
        Environment.GetEnvironmentVariable,
        TextWriter.Null,
        logging => logging.SetMinimumLevel(LogLevel.Warning));

    [Fact]
    public async Task Counters_survive_a_restart_on_the_same_data_directory_and_keep_balancing()
    {
        await using (var first = await StartAsync())
        {
            await SendAndReceiveAsync(first, 5);
            await WaitUntilDrainedAsync(first, expectedAccepted: 5);
        }

        await using var second = await StartAsync();
        var reopened = await StatusAsync(second);
        Assert.Equal(5, reopened.Accepted);
        Assert.Equal(5, reopened.Completed);

        await SendAndReceiveAsync(second, 1);
        await WaitUntilDrainedAsync(second, expectedAccepted: 6);
    }

    [Fact]
    public async Task A_second_gateway_on_the_same_data_directory_is_refused_with_the_path_named()
    {
        await using var first = await StartAsync();

        var error = await Assert.ThrowsAsync<GatewayStartException>(StartAsync);

        Assert.IsType<QueueStoreException>(error.InnerException);
        Assert.StartsWith("--data-dir ", error.Message, StringComparison.Ordinal);
        Assert.Contains(Path.GetFullPath(_dataDir), error.Message, StringComparison.Ordinal);
    }

    private static async Task SendAndReceiveAsync(GatewayHost gateway, int count)
    {
        using var socket = new System.Net.WebSockets.ClientWebSocket();
        await socket.ConnectAsync(gateway.WebSocketUrl, CancellationToken.None);
        for (var i = 0; i < count; i++)
        {
            await socket.SendTextAsync($"{{\"n\":{i}}}");
        }

        for (var i = 0; i < count; i++)
        {
            await socket.ReceiveTextAsync();
        }
    }

    private static async Task WaitUntilDrainedAsync(GatewayHost gateway, long expectedAccepted)
    {
        using var status = new GatewayStatusProbe(gateway.HttpUrl);
        await status.WaitForAsync(c => c.Accepted == expectedAccepted && c.IsDrainedAndBalanced, TimeSpan.FromSeconds(10));
    }

    private static async Task<GatewayCounters> StatusAsync(GatewayHost gateway)
    {
        using var status = new GatewayStatusProbe(gateway.HttpUrl);
        return await status.ReadAsync();
    }
}
