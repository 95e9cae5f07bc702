using System.Net.WebSockets;
using System.Text;
using Microsoft.Extensions.Logging;
using SocketRelay.LocalGateway.Hosting;
using SocketRelay.TestSupport;

namespace SocketRelay.LocalGateway.Tests.Gateway;

/// <summary>A whole local gateway (in-process function, SQLite queue in a temp folder) on a free loopback port.</summary>
public sealed class GatewayFixture : IAsyncLifetime
{
    public string DataDir { get; } = Path.Combine(Path.GetTempPath(), "socketrelay-gateway-" + Guid.NewGuid().ToString("N"));

    public GatewayHost Gateway { get; private set; } = null!;

    public StringWriter FunctionLogs { get; } = new();

    public GatewayOptions Options => new()
    {
        Port = 0,
        DataDir = DataDir,
        Pollers = 4,
        FunctionTimeoutSeconds = 5,
        VisibilityTimeoutSeconds = 5,
    };

    public async Task InitializeAsync() => Gateway = await StartAsync(Options);

    public async Task<GatewayHost> StartAsync(GatewayOptions options, string? functionBinary = null)
    {
        options.FunctionBinary = functionBinary;
        return await GatewayHost.StartAsync(options, Environment.GetEnvironmentVariable, TextWriter.Synchronized(FunctionLogs), logging => logging.SetMinimumLevel(LogLevel.Warning));
    }

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        Directory.Delete(DataDir, recursive: true);
        PowertoolsLogSchema.AssertLines(FunctionLogs.ToString());
    }

    public async Task<ClientWebSocket> ConnectAsync()
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(Gateway.WebSocketUrl, CancellationToken.None);
        return socket;
    }
}

internal static class WebSocketExtensions
{
    public static Task SendTextAsync(this WebSocket socket, string text) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

    /// <summary>The next text message, or a timeout failure.</summary>
    public static async Task<string> ReceiveTextAsync(this WebSocket socket, TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
        using var message = new MemoryStream();
        var buffer = new byte[16 * 1024];
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer, cancel.Token);
            message.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);

        return Encoding.UTF8.GetString(message.ToArray());
    }
}
