using System.Net.WebSockets;
using System.Text;

namespace SocketRelay.LocalGateway.Tests.ApiGateway;

/// <summary>A real <see cref="ClientWebSocket"/> with the connection id the gateway gave it.</summary>
internal sealed class TestClient(ClientWebSocket socket, string connectionId)
{
    private static readonly TimeSpan ReceiveTimeout = TimeSpan.FromSeconds(5);

    public ClientWebSocket Socket { get; } = socket;

    public string ConnectionId { get; } = connectionId;

    public Task SendTextAsync(string text) => SendFrameAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true);

    public async Task SendFrameAsync(byte[] payload, WebSocketMessageType type, bool endOfMessage)
    {
        using var timeout = new CancellationTokenSource(ReceiveTimeout);
        await Socket.SendAsync(payload, type, endOfMessage, timeout.Token);
    }

    /// <summary>Sends <paramref name="message"/> as fragments (one WebSocket frame per fragment).</summary>
    public async Task SendFragmentedAsync(byte[] message, int fragmentBytes)
    {
        for (var offset = 0; offset < message.Length; offset += fragmentBytes)
        {
            var length = Math.Min(fragmentBytes, message.Length - offset);
            await SendFrameAsync(message[offset..(offset + length)], WebSocketMessageType.Text, offset + length == message.Length);
        }
    }

    public async Task<byte[]> ReceiveBytesAsync() => (await ReceiveMessageAsync()).Payload;

    /// <summary>The next message and the type of its frames (text or binary).</summary>
    public async Task<(WebSocketMessageType Type, byte[] Payload)> ReceiveMessageAsync()
    {
        using var timeout = new CancellationTokenSource(ReceiveTimeout);
        using var message = new MemoryStream();
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var result = await Socket.ReceiveAsync(buffer, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new InvalidOperationException($"The gateway closed the connection ({result.CloseStatus}).");
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return (result.MessageType, message.ToArray());
            }
        }
    }

    public async Task<string> ReceiveTextAsync() => Encoding.UTF8.GetString(await ReceiveBytesAsync());

    /// <summary>Reads until the gateway's close frame and returns its status.</summary>
    public async Task<WebSocketCloseStatus?> ReceiveCloseAsync()
    {
        using var timeout = new CancellationTokenSource(ReceiveTimeout);
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var result = await Socket.ReceiveAsync(buffer, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return result.CloseStatus;
            }
        }
    }
}
