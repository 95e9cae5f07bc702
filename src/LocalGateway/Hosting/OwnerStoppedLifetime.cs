using Microsoft.Extensions.Hosting;

namespace SocketRelay.LocalGateway.Hosting;

/// <summary>
/// A host lifetime that waits for nothing and reacts to no signal: the host runs until its owner stops
/// it. For the gateway's inner hosts, which must outlive the process's Ctrl+C or SIGTERM until the
/// gateway has finished with them.
/// </summary>
internal sealed class OwnerStoppedLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
