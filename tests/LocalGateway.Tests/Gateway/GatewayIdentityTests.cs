using System.Text.Json;
using Microsoft.Extensions.Logging;
using SocketRelay.LocalGateway.Hosting;
using SocketRelay.TestSupport;

namespace SocketRelay.LocalGateway.Tests.Gateway;

/// <summary>The identity options reach the running function: its Runtime API headers, its environment, its log lines.</summary>
public sealed class GatewayIdentityTests : IDisposable
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "socketrelay-identity-" + Guid.NewGuid().ToString("N"));
    private readonly StringWriter _functionLogs = new();

    public void Dispose()
    {
        _functionLogs.Dispose();
        Directory.Delete(_dataDir, recursive: true);
    }

    [Fact]
    public async Task The_functions_log_lines_name_the_configured_function_arn_and_memory()
    {
        var options = new GatewayOptions
        {
            Port = 0,
            DataDir = _dataDir,
            Pollers = 1,
            FunctionTimeoutSeconds = 5,
            VisibilityTimeoutSeconds = 5,
            Region = "eu-west-2",
            FunctionName = "orders-consumer",
            FunctionMemoryMb = 512,
        };
        await using var gateway = await GatewayHost.StartAsync(
            options, _ => null, TextWriter.Synchronized(_functionLogs), logging => logging.SetMinimumLevel(LogLevel.Warning));
        using var socket = new System.Net.WebSockets.ClientWebSocket();
        await socket.ConnectAsync(gateway.WebSocketUrl, CancellationToken.None);

        await socket.SendTextAsync("{\"MessageGroupId\":\"test\",\"data\":\"hello world\"}");
        await socket.ReceiveTextAsync();

        var line = await Eventually.ValueAsync(
            () => _functionLogs.ToString().Split('\n').FirstOrDefault(l => l.Contains("\"function_arn\"", StringComparison.Ordinal)), what: "a function log line with function_arn");
        using var parsed = JsonDocument.Parse(line);
        var root = parsed.RootElement;
        Assert.Equal("arn:aws:lambda:eu-west-2:000000000000:function:orders-consumer", root.GetProperty("function_arn").GetString());
        Assert.Equal("orders-consumer", root.GetProperty("function_name").GetString());
        Assert.Equal("512", root.GetProperty("function_memory_size").ToString());
        Assert.Equal(gateway.Identity.FunctionArn, root.GetProperty("function_arn").GetString());
    }
}
