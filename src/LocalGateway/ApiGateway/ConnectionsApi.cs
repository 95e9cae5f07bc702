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
/// The <c>@connections</c> management API at <c>/{stage}/@connections/{id}</c>: <c>POST</c> sends the body
/// to a connection as one text frame, <c>GET</c> describes it, <c>DELETE</c> closes it. Checked in API
/// Gateway's order: the path (any other path naming <c>@connections</c> is 403 <c>ForbiddenException</c>),
/// the SigV4 signature (<see cref="SigV4Verifier"/>), the payload size (413), the connection (410). Every
/// error is API Gateway's status, <c>x-amzn-ErrorType</c> header and <c>{"message":"…"}</c> body, so AWS's
/// SDKs raise the same exceptions as in AWS. <see cref="ConnectionsFaultOptions"/> can make <c>POST</c>s
/// fail or answer late on purpose. Each <c>POST</c>'s answer is told to the developer console's observer, if
/// one is registered.
/// </summary>
internal sealed class ConnectionsApi(
    ConnectionRegistry registry, ApiGatewayOptions options, SigV4Verifier verifier, ConnectionsFaultInjector faults, ILogger<ConnectionsApi> logger, IPipelineObserver? observer = null)
{
    private readonly IPipelineObserver _observer = observer ?? NoPipelineObserver.Instance;

    /// <summary>Whether a <c>POST</c>'s answer is worth probing the body for: only when the console is listening.</summary>
    private bool Observes(HttpContext context) => _observer is not NoPipelineObserver && HttpMethods.IsPost(context.Request.Method);

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? request.Path.ToString();
        if (!ManagementRequestTarget.NamesConnectionsApi(rawTarget))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        if (!ManagementRequestTarget.IsClientAllowed(context.Connection.RemoteIpAddress, options))
        {
            ApiGatewayLog.ManagementForbidden(logger, request.Method, context.Connection.RemoteIpAddress?.ToString() ?? "");
            await WriteErrorAsync(context, StatusCodes.Status403Forbidden, ManagementRefusal.Forbidden);
            return;
        }

        if (!ManagementRequestTarget.TryGetConnectionId(rawTarget, options.Stage, out var rawId, out var path, out var query)
            || !(HttpMethods.IsPost(request.Method) || HttpMethods.IsGet(request.Method) || HttpMethods.IsDelete(request.Method)))
        {
            await RefuseAsync(context, rawTarget, ManagementRefusal.Forbidden, $"only POST, GET and DELETE /{options.Stage}/@connections/{{connectionId}} are routed (a / in an id is written %2F)");
            return;
        }

        if (!verifier.ReadAuthorization(request, out var authorization, out var refusal))
        {
            await RefuseAsync(context, path, refusal!, refusal!.Hint ?? refusal.Message);
            return;
        }

        if (request.ContentLength > options.MaxMessageBytes)
        {
            await WritePayloadTooLargeAsync(context);
            if (Observes(context))
            {
                ObservePost(context, rawId, await ReplyEnvelopeProbe.ReadRequestIdAsync(request.Body, context.RequestAborted));
            }

            return;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(options.MaxMessageBytes + 1);
        try
        {
            var length = await ReadBodyAsync(request.Body, buffer.AsMemory(0, options.MaxMessageBytes + 1), context.RequestAborted);
            if (length > options.MaxMessageBytes)
            {
                await WritePayloadTooLargeAsync(context);
                ObservePost(context, rawId, buffer.AsMemory(0, length));
                return;
            }

            if (!verifier.VerifySignature(request, authorization!, path, query, buffer.AsSpan(0, length), out refusal))
            {
                await RefuseAsync(context, path, refusal!, "the signature does not match the request");
                return;
            }

            await AnswerAsync(context, rawId, buffer.AsMemory(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task AnswerAsync(HttpContext context, string rawId, ReadOnlyMemory<byte> body)
    {
        var method = context.Request.Method;
        if (!ConnectionId.TryCreate(rawId, out var id, out _) || !registry.TryGet(id, out var connection))
        {
            ApiGatewayLog.ManagementRequest(logger, method, rawId, StatusCodes.Status410Gone);
            await WriteGoneAsync(context);
            ObservePost(context, rawId, body);
            return;
        }

        if (HttpMethods.IsPost(method))
        {
            var fault = faults.Next();
            if (fault.StatusCode is { } injected)
            {
                ApiGatewayLog.FaultInjected(logger, id.Value, injected);
                await WriteInjectedFaultAsync(context, injected);
                ObservePost(context, id.Value, body);
                return;
            }

            if (!await connection.SendDataAsync(body, context.RequestAborted))
            {
                await WriteGoneAsync(context);
            }

            ObservePost(context, id.Value, body);
            await DelayResponseAsync(fault.Latency, context.RequestAborted);
        }
        else if (HttpMethods.IsGet(method))
        {
            context.Response.ContentType = "application/json";
            await JsonSerializer.SerializeAsync(context.Response.Body, ConnectionInfo.From(connection.ToSnapshot()), ApiGatewayJsonContext.Readable.ConnectionInfo, context.RequestAborted);
        }
        else
        {
            await connection.CloseAsync(WebSocketCloseStatus.NormalClosure, "");
            context.Response.StatusCode = StatusCodes.Status204NoContent;
        }

        ApiGatewayLog.ManagementRequest(logger, method, id.Value, context.Response.StatusCode);
    }

    private void ObservePost(HttpContext context, string connectionId, ReadOnlyMemory<byte> body)
    {
        if (Observes(context))
        {
            ObservePost(context, connectionId, ReplyEnvelopeProbe.RequestId(body.Span[..Math.Min(body.Length, ReplyEnvelopeProbe.PrefixBytes)]));
        }
    }

    /// <summary>Tells the console's observer how a <c>POST</c> was answered (the reply envelope's <c>requestId</c> ties it to its message).</summary>
    private void ObservePost(HttpContext context, string connectionId, string? requestId) =>
        _observer.PostedToConnection(connectionId, requestId, context.Response.StatusCode);

    private Task RefuseAsync(HttpContext context, string path, ManagementRefusal refusal, string reason)
    {
        ApiGatewayLog.ManagementRefused(logger, context.Request.Method, path, refusal.ErrorType, reason);
        return WriteErrorAsync(context, StatusCodes.Status403Forbidden, refusal);
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
        ? WriteErrorAsync(context, statusCode, new("LimitExceededException", "Too Many Requests (injected fault)"))
        : WriteErrorAsync(context, statusCode, new("InternalServerErrorException", "Internal server error (injected fault)"));

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
        context, StatusCodes.Status413PayloadTooLarge, new("PayloadTooLargeException", $"Message too long: the limit is {options.MaxMessageBytes} bytes"));

    private static Task WriteGoneAsync(HttpContext context) =>
        WriteErrorAsync(context, StatusCodes.Status410Gone, new("GoneException", "The connection is gone"));

    private static async Task WriteErrorAsync(HttpContext context, int statusCode, ManagementRefusal error)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "application/json";
        // AWS SDKs read the exception type from this header, as they do with API Gateway itself.
        context.Response.Headers["x-amzn-ErrorType"] = error.ErrorType;
        await JsonSerializer.SerializeAsync(context.Response.Body, new ManagementError(error.Message), ApiGatewayJsonContext.Readable.ManagementError, context.RequestAborted);
    }
}
