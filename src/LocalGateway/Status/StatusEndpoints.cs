using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace SocketRelay.LocalGateway.Status;

public static class StatusEndpoints
{
    /// <summary><c>GET /_local/status</c> (JSON); loopback callers only. The page at <c>/_local/</c> is the developer console's.</summary>
    public static IEndpointRouteBuilder MapGatewayStatus(this IEndpointRouteBuilder endpoints, GatewayStatus status)
    {
        endpoints.MapGet("/_local/status", async (HttpContext http) =>
        {
            if (!DevConsole.LocalRequestGuard.IsFromThisMachine(http) || !DevConsole.LocalRequestGuard.NamesThisMachine(http))
            {
                return Results.StatusCode(StatusCodes.Status403Forbidden);
            }

            return Results.Bytes(await status.ToJsonAsync(http.RequestAborted), "application/json");
        });
        return endpoints;
    }
}
