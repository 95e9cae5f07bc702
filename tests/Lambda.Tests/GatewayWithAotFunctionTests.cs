using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using SocketRelay.Infrastructure.Serialization;
using SocketRelay.Lambda.Tests.Support;
using SocketRelay.LocalGateway.Hosting;
using SocketRelay.TestSupport;

namespace SocketRelay.Lambda.Tests;

/// <summary>The local gateway running the published Native AOT bootstrap as its function (<c>--function-binary</c>).</summary>
public sealed class GatewayWithAotFunctionTests : IAsyncLifetime, IDisposable
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "socketrelay-aot-gateway-" + Guid.NewGuid().ToString("N"));
    private readonly StringWriter _functionLogs = new();
    private GatewayHost _gateway = null!;

    public async Task InitializeAsync()
    {
        var binary = await BootstrapPublisher.GetAsync();
        _gateway = await GatewayHost.StartAsync(
            new GatewayOptions { Port = 0, DataDir = _dataDir, Pollers = 2, FunctionBinary = binary, FunctionTimeoutSeconds = 5, VisibilityTimeoutSeconds = 5 },
            Environment.GetEnvironmentVariable,
            TextWriter.Synchronized(_functionLogs),
            logging => logging.SetMinimumLevel(LogLevel.Warning));
    }

    public void Dispose() => _functionLogs.Dispose();

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        Directory.Delete(_dataDir, recursive: true);
        PowertoolsLogSchema.AssertLines(_functionLogs.ToString());
    }

    [Fact]
    public async Task Frames_are_answered_by_the_native_bootstrap_in_order_and_its_json_logs_reach_the_gateway_output()
    {
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(_gateway.WebSocketUrl, CancellationToken.None);
        string[] bodies = ["{\"data\":\"hello world\"}", "{\"data\":\"& + % = é 𝄞\"}", "{\"seq\":3}"]; // one group: the connection

        foreach (var body in bodies)
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes(body), WebSocketMessageType.Text, true, CancellationToken.None);
        }

        foreach (var body in bodies)
        {
            Assert.Equal(body, JsonSerializer.Deserialize(await ReceiveAsync(socket), SocketRelayJsonContext.Wire.ReplyEnvelope)!.Message);
        }

        Assert.Contains("child processes of", _gateway.FunctionDescription, StringComparison.Ordinal);
        var batchLine = await Eventually.ValueAsync(
            () => _functionLogs.ToString().Split('\n').FirstOrDefault(l => l.Contains("\"function_name\":\"socketrelay-local\"", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(10),
            "a log line of the function");
        using var parsed = JsonDocument.Parse(batchLine);
        Assert.True(parsed.RootElement.TryGetProperty("function_request_id", out _));
    }

    private static async Task<string> ReceiveAsync(ClientWebSocket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var buffer = new byte[64 * 1024];
        var result = await socket.ReceiveAsync(buffer, timeout.Token);
        Assert.True(result.EndOfMessage);
        return Encoding.UTF8.GetString(buffer, 0, result.Count);
    }
}
