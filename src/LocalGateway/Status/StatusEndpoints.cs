using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SocketRelay.LocalGateway.ApiGateway;

namespace SocketRelay.LocalGateway.Status;

public static class StatusEndpoints
{
    /// <summary><c>GET /_local/status</c> (JSON) and <c>GET /_local/</c> (a page that refreshes itself); loopback callers only.</summary>
    public static IEndpointRouteBuilder MapGatewayStatus(this IEndpointRouteBuilder endpoints, GatewayStatus status)
    {
        endpoints.MapGet("/_local/status", async (HttpContext http) =>
        {
            if (!IsLoopback(http))
            {
                return Results.StatusCode(StatusCodes.Status403Forbidden);
            }

            return Results.Bytes(await status.ToJsonAsync(http.RequestAborted), "application/json");
        });
        endpoints.MapGet("/_local/", (HttpContext http) =>
            IsLoopback(http) ? Results.Content(StatusPage.Html, "text/html; charset=utf-8") : Results.StatusCode(StatusCodes.Status403Forbidden));
        return endpoints;
    }

    /// <summary>The status has no authentication, so only this machine may read it.</summary>
    private static bool IsLoopback(HttpContext http) => LoopbackCallers.IsAllowed(http.Connection.RemoteIpAddress);
}
