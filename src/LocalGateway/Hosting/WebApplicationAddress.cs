using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace SocketRelay.LocalGateway.Hosting;

public static class WebApplicationAddress
{
    /// <summary>The address Kestrel actually bound once started: port 0 resolved to the port it took.</summary>
    public static Uri BoundAddress(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses
            ?? throw new InvalidOperationException("the server reports no addresses; start the application first");
        return new Uri(addresses.First());
    }
}
