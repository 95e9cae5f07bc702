using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SocketRelay.Domain.Identifiers;

namespace SocketRelay.LocalGateway.ApiGateway;

/// <summary>
/// The WebSocket API at <c>/</c> and <c>/{stage}</c>: accepts connections, validates every inbound text
/// message as the <c>$default</c> route's request validation would, and hands valid ones to the
/// <see cref="IInboundMessageSink"/> one at a time, in the order they arrived. A binary frame closes the
/// connection with 1003, as API Gateway does.
/// </summary>
internal sealed class WebSocketApi(
    ConnectionRegistry registry,
    IGatewayIdGenerator ids,
    IInboundMessageSink sink,
    ApiGatewayOptions options,
    TimeProvider time,
    ILogger<WebSocketApi> logger)
{
    public async Task HandleAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status426UpgradeRequired;
            context.Response.Headers.Upgrade = "websocket";
            context.Response.ContentType = "text/plain; charset=utf-8";
            // The address this request reached the gateway on (not the Host header the client sent), and the path it asked for.
            var url = new UriBuilder("ws", context.Connection.LocalIpAddress?.ToString() ?? "127.0.0.1", context.Connection.LocalPort, context.Request.PathBase + context.Request.Path).Uri;
            await context.Response.WriteAsync($"This is a WebSocket endpoint: connect with a WebSocket client, e.g. npx --yes wscat -c {url}\n");
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var identity = new ConnectionIdentity(
            context.Connection.RemoteIpAddress?.ToString() ?? "",
            context.Request.Headers.UserAgent.ToString());
        using var connection = new GatewayConnection(ConnectionId.Create(ids.NewId()), socket, identity, registry, options, time, logger);
        registry.Add(connection);
        ApiGatewayLog.Connected(logger, connection.Id.Value, identity.SourceIp);
        try
        {
            await ReceiveMessagesAsync(connection, new InboundMessageReader(socket, options), context.RequestAborted);
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
        {
            // The client vanished, the socket was dropped after a failed send or close handshake, or
            // the WebSocket itself failed the connection: RFC 6455 requires that for a text frame
            // that is not valid UTF-8, so such a frame never reaches request validation.
        }

        ApiGatewayLog.Disconnected(logger, connection.Id.Value, socket.CloseStatus?.ToString() ?? "without a close handshake");
    }

    private async Task ReceiveMessagesAsync(GatewayConnection connection, InboundMessageReader reader, CancellationToken cancellationToken)
    {
        while (true)
        {
            var kind = await reader.ReadAsync(cancellationToken);
            if (kind == InboundMessageKind.Closed)
            {
                await connection.CloseAsync(WebSocketCloseStatus.NormalClosure, "");
                return;
            }

            if (kind == InboundMessageKind.TooBig)
            {
                ApiGatewayLog.ClosingConnection(logger, connection.Id.Value, reader.TooBigReason!);
                await connection.CloseAsync(WebSocketCloseStatus.MessageTooBig, "Message too big");
                await reader.DiscardUntilClosedAsync(cancellationToken);
                return;
            }

            if (connection.IsClosing)
            {
                // Sent before the client saw our close frame: like API Gateway, do not act on it.
                continue;
            }

            if (kind == InboundMessageKind.Binary)
            {
                // API Gateway's guide: WebSocket APIs do not accept binary frames in incoming messages
                // and disconnect the client with 1003.
                ApiGatewayLog.ClosingConnection(logger, connection.Id.Value, "a binary frame (WebSocket APIs accept text frames only)");
                await connection.CloseAsync(WebSocketCloseStatus.InvalidMessageType, "Binary frames are not supported");
                await reader.DiscardUntilClosedAsync(cancellationToken);
                return;
            }

            connection.MarkActive();
            await HandleMessageAsync(connection, reader.Message, cancellationToken);
        }
    }

    private async Task HandleMessageAsync(GatewayConnection connection, ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        var requestId = RequestId.Create(ids.NewId());
        if (!InboundRequest.TryParse(message.Span, out var request, out var reason))
        {
            await RejectAsync(connection, requestId, reason, cancellationToken);
            return;
        }

        var groupId = request.GroupId ?? MessageGroupId.Create(connection.Id.Value);
        ApiGatewayLog.Accepted(logger, connection.Id.Value, requestId.Value, groupId.Value, request.Body);
        try
        {
            await sink.AcceptAsync(new InboundMessage(connection.Id, requestId, groupId, request.Body), cancellationToken);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            ApiGatewayLog.SinkFailed(logger, exception, connection.Id.Value, requestId.Value);
            await SendErrorFrameAsync(connection, ErrorFrame.InternalServerError, requestId, cancellationToken);
        }
    }

    private async Task RejectAsync(GatewayConnection connection, RequestId requestId, string reason, CancellationToken cancellationToken)
    {
        ApiGatewayLog.InvalidRequest(logger, connection.Id.Value, requestId.Value, reason);
        await SendErrorFrameAsync(connection, ErrorFrame.InvalidRequestBody, requestId, cancellationToken);
    }

    private static Task<bool> SendErrorFrameAsync(GatewayConnection connection, string message, RequestId requestId, CancellationToken cancellationToken) =>
        connection.SendTextAsync(ApiGatewayJsonContext.Serialize(new ErrorFrame(message, connection.Id.Value, requestId.Value)), cancellationToken);
}
