using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using SocketRelay.Domain.Identifiers;
using SocketRelay.LocalGateway.DevConsole;

namespace SocketRelay.LocalGateway.ApiGateway;

/// <summary>
/// The <c>@connections</c> management API: <c>POST</c> sends the body to a connection as one
/// text frame, <c>GET</c> describes it, <c>DELETE</c> closes it. Status codes and error types are
/// API Gateway's, so the function's client cannot tell the difference. SigV4 headers are ignored.
/// <see cref="ConnectionsFaultOptions"/> can make <c>POST</c>s fail or answer late on purpose.
/// Each <c>POST</c>'s answer is told to the developer console's observer, if one is registered.
/// </summary>
internal sealed class ConnectionsApi(
    ConnectionRegistry registry, ApiGatewayOptions options, ConnectionsFaultInjector faults, ILogger<ConnectionsApi> logger, IPipelineObserver? observer = null)
{
    private readonly IPipelineObserver _observer = observer ?? NoPipelineObserver.Instance;

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        if (!ManagementRequestTarget.IsClientAllowed(context.Connection.RemoteIpAddress, options))
        {
            ApiGatewayLog.ManagementForbidden(logger, request.Method, context.Connection.RemoteIpAddress?.ToString() ?? "");
            await WriteErrorAsync(context, StatusCodes.Status403Forbidden, "ForbiddenException", "Forbidden");
            return;
        }

        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? request.Path.ToString();
        if (!ManagementRequestTarget.TryGetConnectionId(rawTarget, out var rawId)
            || !ConnectionId.TryCreate(rawId, out var id, out _)
            || !registry.TryGet(id, out var connection))
        {
            ApiGatewayLog.ManagementRequest(logger, request.Method, rawId ?? "", StatusCodes.Status410Gone);
            await WriteGoneAsync(context);
            return;
        }

        if (HttpMethods.IsPost(request.Method))
        {
            var fault = faults.Next();
            if (fault.StatusCode is { } injected)
            {
                ApiGatewayLog.FaultInjected(logger, id.Value, injected);
                await WriteInjectedFaultAsync(context, injected);
                _observer.PostedToConnection(id.Value, await ReplyEnvelopeProbe.ReadRequestIdAsync(context.Request.Body, context.RequestAborted), injected);
                return;
            }

            var requestId = await PostToConnectionAsync(context, connection);
            _observer.PostedToConnection(id.Value, requestId, context.Response.StatusCode);
            await DelayResponseAsync(fault.Latency, context.RequestAborted);
        }
        else if (HttpMethods.IsGet(request.Method))
        {
            context.Response.ContentType = "application/json";
            await JsonSerializer.SerializeAsync(context.Response.Body, ConnectionInfo.From(connection.ToSnapshot()), ApiGatewayJsonContext.Readable.ConnectionInfo, context.RequestAborted);
        }
        else
        {
            await connection.CloseAsync(WebSocketCloseStatus.NormalClosure, "");
            context.Response.StatusCode = StatusCodes.Status204NoContent;
        }

        ApiGatewayLog.ManagementRequest(logger, request.Method, id.Value, context.Response.StatusCode);
    }

    /// <returns>The reply envelope's <c>requestId</c>, when it has one.</returns>
    private async Task<string?> PostToConnectionAsync(HttpContext context, GatewayConnection connection)
    {
        if (context.Request.ContentLength > options.MaxMessageBytes)
        {
            await WritePayloadTooLargeAsync(context);
            return await ReplyEnvelopeProbe.ReadRequestIdAsync(context.Request.Body, context.RequestAborted);
        }

        var buffer = ArrayPool<byte>.Shared.Rent(options.MaxMessageBytes + 1);
        try
        {
            var length = await ReadBodyAsync(context.Request.Body, buffer.AsMemory(0, options.MaxMessageBytes + 1), context.RequestAborted);
            if (length > options.MaxMessageBytes)
            {
                await WritePayloadTooLargeAsync(context);
            }
            else if (!await connection.SendTextAsync(buffer.AsMemory(0, length), context.RequestAborted))
            {
                await WriteGoneAsync(context);
            }

            return ReplyEnvelopeProbe.RequestId(buffer.AsSpan(0, Math.Min(length, ReplyEnvelopeProbe.PrefixBytes)));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Holds the answer back after the frame went out, so a caller that gives up early still reached the client.</summary>
    private static async Task DelayResponseAsync(TimeSpan latency, CancellationToken requestAborted)
    {
        if (latency > TimeSpan.Zero)
        {
            await Task.Delay(latency, requestAborted).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private static Task WriteInjectedFaultAsync(HttpContext context, int statusCode) => statusCode == StatusCodes.Status429TooManyRequests
        ? WriteErrorAsync(context, statusCode, "LimitExceededException", "Too Many Requests (injected fault)")
        : WriteErrorAsync(context, statusCode, "InternalServerErrorException", "Internal server error (injected fault)");

    private static async Task<int> ReadBodyAsync(Stream body, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await body.ReadAsync(buffer[length..], cancellationToken)) > 0)
        {
            length += read;
        }

        return length;
    }

    private Task WritePayloadTooLargeAsync(HttpContext context) => WriteErrorAsync(
        context, StatusCodes.Status413PayloadTooLarge, "PayloadTooLargeException", $"Message too long: the limit is {options.MaxMessageBytes} bytes");

    private static Task WriteGoneAsync(HttpContext context) =>
        WriteErrorAsync(context, StatusCodes.Status410Gone, "GoneException", "The connection is gone");

    private static async Task WriteErrorAsync(HttpContext context, int statusCode, string errorType, string message)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "application/json";
        // AWS SDKs read the exception type from this header, as they do with API Gateway itself.
        context.Response.Headers["x-amzn-ErrorType"] = errorType;
        await JsonSerializer.SerializeAsync(context.Response.Body, new ManagementError(message), ApiGatewayJsonContext.Readable.ManagementError, context.RequestAborted);
    }
}
