using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace SocketRelay.Infrastructure.Connections;

public static class ConnectionsServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ConnectionsApiNotifier"/> as a typed <see cref="HttpClient"/> client, with its
    /// options (validated here, so a bad endpoint or region fails at start-up), the <see cref="SigV4Signer"/>,
    /// the standard AWS credential chain and the system clock (each only if not registered already, so a
    /// host or test can supply its own). The notifier is registered as itself, not as
    /// <c>IConnectionNotifier</c>: the composition root decides what wraps it.
    /// </summary>
    public static IServiceCollection AddConnectionsApiNotifier(this IServiceCollection services, Action<ConnectionsApiOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new ConnectionsApiOptions();
        configure(options);
        options.Validate();

        services.AddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IAwsCredentialsProvider, DefaultAwsCredentialsProvider>();
        services.TryAddSingleton<SigV4Signer>();
        // One long-lived handler: the notifier is held by a singleton retry decorator, and pooled
        // connections are still recycled so DNS changes of the endpoint are picked up.
        services.AddHttpClient<ConnectionsApiNotifier>()
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .RemoveAllLoggers(); // the notifier logs each outcome once; four framework lines per reply would drown it

        return services;
    }
}
