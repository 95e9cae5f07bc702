using System.Buffers;
using System.Net.WebSockets;

namespace SocketRelay.LocalGateway.ApiGateway;

internal enum InboundMessageKind
{
    Text,
    Binary,
    TooBig,
    Closed,
}

/// <summary>
/// Reassembles a connection's inbound frames into messages while enforcing API Gateway's frame
/// and message size limits.
/// </summary>
/// <remarks>
/// <see cref="WebSocket.ReceiveAsync(Memory{byte}, CancellationToken)"/> hides frame boundaries, but
/// the managed WebSocket behind Kestrel never returns bytes of two frames from one call and fills
/// the buffer when the current frame has enough bytes left. Receiving into a buffer one byte larger
/// than the frame limit therefore yields a full buffer exactly when a frame exceeds the limit.
/// This is an approximation: a WebSocket implementation that returned short reads in the middle of
/// a frame could let a frame over the limit through (the message limit still holds).
/// </remarks>
internal sealed class InboundMessageReader(WebSocket socket, ApiGatewayOptions options)
{
    private readonly byte[] _frameBuffer = new byte[options.MaxFrameBytes + 1];
    private readonly ArrayBufferWriter<byte> _message = new();

    /// <summary>The last message read by <see cref="ReadAsync"/> (valid until the next read).</summary>
    public ReadOnlyMemory<byte> Message => _message.WrittenMemory;

    /// <summary>Why the last read returned <see cref="InboundMessageKind.TooBig"/>.</summary>
    public string? TooBigReason { get; private set; }

    public async Task<InboundMessageKind> ReadAsync(CancellationToken cancellationToken)
    {
        _message.ResetWrittenCount();
        while (true)
        {
            var result = await socket.ReceiveAsync(_frameBuffer.AsMemory(), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return InboundMessageKind.Closed;
            }

            if (result.Count > options.MaxFrameBytes)
            {
                TooBigReason = $"a frame is larger than {options.MaxFrameBytes} bytes";
                return InboundMessageKind.TooBig;
            }

            if (_message.WrittenCount + result.Count > options.MaxMessageBytes)
            {
                TooBigReason = $"the message is larger than {options.MaxMessageBytes} bytes";
                return InboundMessageKind.TooBig;
            }

            _message.Write(_frameBuffer.AsSpan(0, result.Count));
            if (result.EndOfMessage)
            {
                return result.MessageType == WebSocketMessageType.Text ? InboundMessageKind.Text : InboundMessageKind.Binary;
            }
        }
    }

    /// <summary>Reads and throws away everything until the client's close frame (after a close was sent).</summary>
    public async Task DiscardUntilClosedAsync(CancellationToken cancellationToken)
    {
        while ((await socket.ReceiveAsync(_frameBuffer.AsMemory(), cancellationToken)).MessageType != WebSocketMessageType.Close)
        {
        }
    }
}
