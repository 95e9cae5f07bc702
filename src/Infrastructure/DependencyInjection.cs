using Microsoft.Extensions.DependencyInjection;

namespace SocketRelay.Infrastructure;

public static class DependencyInjection
{
    /// <summary>Registers the adapters of the Application ports.</summary>
    public static IServiceCollection AddInfrastructureServices(this IServiceCollection services) => services;
}
