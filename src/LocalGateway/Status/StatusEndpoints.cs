using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace SocketRelay.LocalGateway.Status;

public static class StatusEndpoints
{
    /// <summary><c>GET /_local/status</c> (JSON) and <c>GET /_local/</c> (a page that refreshes itself); loopback callers only.</summary>
    public static IEndpointRouteBuilder MapGatewayStatus(this IEndpointRouteBuilder endpoints, GatewayStatus status)
    {
        var local = endpoints.MapGroup("/_local").AddEndpointFilter(async (context, next) =>
            context.HttpContext.Connection.RemoteIpAddress is { } remote && IPAddress.IsLoopback(remote)
                ? await next(context)
                : Results.StatusCode(StatusCodes.Status403Forbidden));
        local.MapGet("/status", async (HttpContext http) =>
            Results.Bytes(await status.ToJsonAsync(http.RequestAborted), "application/json"));
        local.MapGet("/", () => Results.Content(StatusPage.Html, "text/html; charset=utf-8"));
        return endpoints;
    }
}
