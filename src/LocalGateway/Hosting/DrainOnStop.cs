using Microsoft.Extensions.Logging;
using SocketRelay.LocalGateway.ApiGateway;

namespace SocketRelay.LocalGateway.Hosting;

/// <summary>
/// The gateway's part of stopping (Ctrl+C, SIGTERM): <see cref="GatewayHost.DrainAsync"/>, run by the WebSocket
/// API before it closes the clients' connections and before Kestrel stops, so the batches in flight are
/// answered and their replies reach clients that are still connected.
/// </summary>
internal sealed partial class DrainOnStop(GatewayHost gateway, ILogger<DrainOnStop> logger) : IStopDrain
{
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        var draining = gateway.DrainAsync(GatewayHost.LongestDrain, cancellationToken);
        if (await Task.WhenAny(draining, Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken)) != draining)
        {
            LogDraining(GatewayHost.LongestDrain.TotalSeconds);
        }

        if (!await draining)
        {
            LogAbandoned(GatewayHost.LongestDrain.TotalSeconds);
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Stopping: the invocations in flight finish first (at most {seconds} s); new messages stay queued for the next start")]
    private partial void LogDraining(double seconds);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Stopping: invocations still running after {seconds} s are abandoned; their messages are not deleted and are received again (the SQLite queue: at the next start; --queue sqs: after the visibility timeout)")]
    private partial void LogAbandoned(double seconds);
}
