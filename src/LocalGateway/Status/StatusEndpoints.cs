using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace SocketRelay.LocalGateway.Status;

public static class StatusEndpoints
{
    /// <summary><c>GET /_local/status</c> (JSON); callers on this machine only, refused with 403 and <c>{"error":"…"}</c>. The page at <c>/_local/</c> is the developer console's.</summary>
    public static IEndpointRouteBuilder MapGatewayStatus(this IEndpointRouteBuilder endpoints, GatewayStatus status)
    {
        endpoints.MapGet("/_local/status", async (HttpContext http) =>
        {
            // The same rule and the same {"error":"…"} answer as every other /_local/ route.
            if (DevConsole.LocalRequestGuard.RefuseRead(http) is { } refused)
            {
                return DevConsole.ConsoleEndpoints.Error(StatusCodes.Status403Forbidden, refused);
            }

            return Results.Bytes(await status.ToJsonAsync(http.RequestAborted), "application/json");
        });
        return endpoints;
    }
}
