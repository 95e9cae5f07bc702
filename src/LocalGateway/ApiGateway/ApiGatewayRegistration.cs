using System.Net.WebSockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace SocketRelay.LocalGateway.ApiGateway;

/// <summary>Wires the emulated API Gateway into the local gateway host.</summary>
public static class ApiGatewayRegistration
{
    private static readonly string[] ManagementMethods = ["POST", "GET", "DELETE"];

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
        services.TryAddSingleton<ConnectionsApi>();
        return services;
    }

    /// <summary>Enables WebSockets and maps both APIs; call once, before <c>Run</c>.</summary>
    public static WebApplication UseApiGateway(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseWebSockets();
        app.MapApiGateway();
        var registry = app.Services.GetRequiredService<ConnectionRegistry>();
        app.Lifetime.ApplicationStopping.Register(() => CloseAll(registry));
        return app;
    }

    /// <summary>Maps the WebSocket API at <c>/</c> and the <c>@connections</c> API.</summary>
    public static IEndpointRouteBuilder MapApiGateway(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var webSocketApi = endpoints.ServiceProvider.GetRequiredService<WebSocketApi>();
        endpoints.Map("/", webSocketApi.HandleAsync);
        endpoints.MapConnectionsApi();
        return endpoints;
    }

    /// <summary>Maps <c>POST|GET|DELETE /@connections/{id}</c> and <c>/{stage}/@connections/{id}</c>.</summary>
    public static IEndpointRouteBuilder MapConnectionsApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var connectionsApi = endpoints.ServiceProvider.GetRequiredService<ConnectionsApi>();
        endpoints.MapMethods($"/{ManagementRequestTarget.Segment}/{{connectionId}}", ManagementMethods, connectionsApi.HandleAsync);
        endpoints.MapMethods($"/{{stage}}/{ManagementRequestTarget.Segment}/{{connectionId}}", ManagementMethods, connectionsApi.HandleAsync);
        return endpoints;
    }

    private static void CloseAll(ConnectionRegistry registry)
    {
        foreach (var connection in registry.Connections)
        {
            _ = connection.CloseAsync(WebSocketCloseStatus.EndpointUnavailable, "Going away");
        }
    }
}
