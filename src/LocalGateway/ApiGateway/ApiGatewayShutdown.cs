using System.Net.WebSockets;
using Microsoft.Extensions.Hosting;

namespace SocketRelay.LocalGateway.ApiGateway;

/// <summary>
/// Work that must finish before the WebSocket API closes its clients' connections when the host stops,
/// e.g. the invocations in flight, whose replies go to those clients.
/// </summary>
public interface IStopDrain
{
    /// <summary>Finishes that work; <paramref name="cancellationToken"/> is the host's shutdown deadline.</summary>
    Task DrainAsync(CancellationToken cancellationToken);
}

/// <summary>
/// When the host begins to stop (Ctrl+C, SIGTERM, or its owner's <c>StopAsync</c>), before Kestrel stops:
/// runs every <see cref="IStopDrain"/>, then closes each open connection with <c>1001 Going away</c>.
/// </summary>
internal sealed class ApiGatewayShutdown(ConnectionRegistry registry, IEnumerable<IStopDrain> drains) : IHostedLifecycleService
{
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        foreach (var drain in drains)
        {
            await drain.DrainAsync(cancellationToken);
        }

        foreach (var connection in registry.Connections)
        {
            _ = connection.CloseAsync(WebSocketCloseStatus.EndpointUnavailable, "Going away");
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
