using System.Buffers;
using System.Net;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace SocketRelay.Bench;

/// <summary>
/// The ceiling of the end-to-end benchmark: a bare Kestrel WebSocket server that answers each text
/// frame at once, with no queue, no function and no <c>@connections</c>. Its reply has the shape of the
/// gateway's (<c>{"connectionId","requestId","message"}</c>, the frame as the <c>message</c> string), so
/// the load generator parses it at the same cost. The driver runs it as its own process
/// (<c>SocketRelay.Bench.dll --echo-server --port N</c>), like the servers it measures.
/// </summary>
public static class EchoServer
{
    public const string Switch = "--echo-server";

    /// <summary>Serves on 127.0.0.1:<paramref name="port"/> until the process is killed.</summary>
    public static async Task RunAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        await using var app = builder.Build();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
        app.Run(async context =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }

            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            await EchoAsync(socket, NewConnectionId(), context.RequestAborted);
        });
        await app.RunAsync();
    }

    /// <summary>Answers every text frame with the gateway's reply shape until the client closes.</summary>
    private static async Task EchoAsync(WebSocket socket, string connectionId, CancellationToken aborted)
    {
        var frame = new byte[16 * 1024];
        var reply = new ArrayBufferWriter<byte>(1024);
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var (result, filled) = await LoadGenerator.ReceiveMessageAsync(socket, frame, aborted);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                    return;
                }

                reply.ResetWrittenCount();
                using (var writer = new Utf8JsonWriter(reply))
                {
                    writer.WriteStartObject();
                    writer.WriteString("connectionId"u8, connectionId);
                    writer.WriteString("requestId"u8, Guid.NewGuid().ToString());
                    writer.WriteString("message"u8, Encoding.UTF8.GetString(frame, 0, filled));
                    writer.WriteEndObject();
                }

                await socket.SendAsync(reply.WrittenMemory, WebSocketMessageType.Text, endOfMessage: true, aborted);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // the client went away
        }
    }

    /// <summary>An id shaped like API Gateway's connection ids (12 characters, base64 alphabet, ending in '=').</summary>
    private static string NewConnectionId() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(9))[..11] + "=";
}
