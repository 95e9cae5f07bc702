using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace SocketRelay.LocalGateway.ApiGateway;

/// <summary>Wires the emulated API Gateway into the local gateway host.</summary>
public static class ApiGatewayRegistration
{
    /// <summary>
    /// Registers the WebSocket API, the <c>@connections</c> API and <see cref="ConnectionRegistry"/>.
    /// The host must also register an <see cref="IInboundMessageSink"/>.
    /// </summary>
    public static IServiceCollection AddApiGateway(this IServiceCollection services, Action<ApiGatewayOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        // Checked when first resolved, after every Configure: InvalidOptionsException names each bad setting.
        var options = services.AddOptions<ApiGatewayOptions>().PostConfigure(o => o.Validate());
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IGatewayIdGenerator, RandomGatewayIdGenerator>();
        services.TryAddSingleton(provider => provider.GetRequiredService<IOptions<ApiGatewayOptions>>().Value);
        services.TryAddSingleton<ConnectionRegistry>();
        services.TryAddSingleton<WebSocketApi>();
        services.TryAddSingleton(provider => new ConnectionsFaultInjector(provider.GetRequiredService<ApiGatewayOptions>().Faults));
        services.TryAddSingleton<SigV4Verifier>();
        services.TryAddSingleton<ConnectionsApi>();
        services.AddHostedService<ApiGatewayShutdown>();
        return services;
    }

    /// <summary>Enables WebSockets and maps both APIs; call once, before <c>Run</c>.</summary>
    public static WebApplication UseApiGateway(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseWebSockets();
        app.MapApiGateway();
        return app;
    }

    /// <summary>Maps the WebSocket API at <c>/</c> and <c>/{stage}</c>, and the <c>@connections</c> API.</summary>
    public static IEndpointRouteBuilder MapApiGateway(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var webSocketApi = endpoints.ServiceProvider.GetRequiredService<WebSocketApi>();
        var stage = endpoints.ServiceProvider.GetRequiredService<ApiGatewayOptions>().Stage;
        endpoints.Map("/", webSocketApi.HandleAsync);
        endpoints.Map($"/{stage}", webSocketApi.HandleAsync);
        endpoints.MapConnectionsApi();
        return endpoints;
    }

    /// <summary>
    /// Maps the <c>@connections</c> API as the lowest-priority catch-all: <c>/{stage}/@connections/{id}</c> is
    /// served, any other path naming <c>@connections</c> is 403 <c>ForbiddenException</c>, and paths that do
    /// not name it stay 404. Routes mapped by others (<c>/_local/…</c>) always win over it.
    /// </summary>
    public static IEndpointRouteBuilder MapConnectionsApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var connectionsApi = endpoints.ServiceProvider.GetRequiredService<ConnectionsApi>();
        endpoints.Map("/{**path}", connectionsApi.HandleAsync);
        return endpoints;
    }
}
