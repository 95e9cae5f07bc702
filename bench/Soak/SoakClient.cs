using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace SocketRelay.Soak;

/// <summary>
/// One connection of one epoch: sends numbered messages at a steady pace (every
/// <c>poisonEvery</c>-th one with a reply too large to deliver) and records every reply.
/// </summary>
internal sealed class SoakClient(int epoch, int client, int poisonEvery)
{
    private readonly List<int> _arrivals = [];

    public int Sent { get; private set; }

    public int PoisonSent { get; private set; }

    public HashSet<int> Poison { get; } = [];

    public IReadOnlyList<int> Arrivals => _arrivals;

    public async Task RunAsync(Uri url, TimeSpan pace, CancellationToken stopSending, CancellationToken stopReceiving)
    {
        using var socket = new ClientWebSocket();
        try
        {
            await socket.ConnectAsync(url, stopSending);
            var receiving = ReceiveAsync(socket, stopReceiving);
            var group = client % 3 == 0 ? $"\"MessageGroupId\":\"shared-{epoch}-{client % 9}\"," : "";
            while (!stopSending.IsCancellationRequested)
            {
                var seq = Sent;
                var poison = poisonEvery > 0 && seq % poisonEvery == poisonEvery - 1;
                var padding = poison ? $",\"pad\":\"{string.Concat(Enumerable.Repeat("\\\"", 35 * 1024))}\"" : "";
                var bytes = Encoding.UTF8.GetBytes($"{{{group}\"e\":{epoch},\"c\":{client},\"seq\":{seq}{padding}}}");
                for (var offset = 0; offset < bytes.Length; offset += 16 * 1024)
                {
                    var length = Math.Min(16 * 1024, bytes.Length - offset);
                    await socket.SendAsync(bytes.AsMemory(offset, length), WebSocketMessageType.Text, offset + length == bytes.Length, stopReceiving);
                }

                Sent++;
                if (poison)
                {
                    Poison.Add(seq);
                    PoisonSent++;
                }

                await Task.Delay(pace, stopSending).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            await receiving;
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
        {
            // The gateway was killed under this connection, or the epoch ended.
        }
    }

    private async Task ReceiveAsync(ClientWebSocket socket, CancellationToken stop)
    {
        var buffer = new byte[256 * 1024];
        try
        {
            while (true)
            {
                using var frame = new MemoryStream();
                WebSocketReceiveResult result;
                do
                {
                    result = await socket.ReceiveAsync(buffer, stop);
                    frame.Write(buffer, 0, result.Count);
                }
                while (!result.EndOfMessage);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                using var envelope = JsonDocument.Parse(frame.ToArray());
                using var message = JsonDocument.Parse(envelope.RootElement.GetProperty("message").GetString()!);
                lock (_arrivals)
                {
                    _arrivals.Add(message.RootElement.GetProperty("seq").GetInt32());
                }
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
        {
        }
    }
}
