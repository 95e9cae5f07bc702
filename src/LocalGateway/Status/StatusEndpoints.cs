using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SocketRelay.LocalGateway.ApiGateway;

namespace SocketRelay.LocalGateway.Status;

public static class StatusEndpoints
{
    /// <summary><c>GET /_local/status</c> (JSON); loopback callers only. The page at <c>/_local/</c> is the developer console's.</summary>
    public static IEndpointRouteBuilder MapGatewayStatus(this IEndpointRouteBuilder endpoints, GatewayStatus status)
    {
        endpoints.MapGet("/_local/status", async (HttpContext http) =>
        {
            if (!IsLoopback(http) || !DevConsole.LocalRequestGuard.IsLoopbackHost(http.Request.Host))
            {
                return Results.StatusCode(StatusCodes.Status403Forbidden);
            }

            return Results.Bytes(await status.ToJsonAsync(http.RequestAborted), "application/json");
        });
        return endpoints;
    }

    /// <summary>The status has no authentication, so only this machine may read it.</summary>
    private static bool IsLoopback(HttpContext http) => LoopbackCallers.IsAllowed(http.Connection.RemoteIpAddress);
}
