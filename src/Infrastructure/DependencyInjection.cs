using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SocketRelay.Application;
using SocketRelay.Application.Ports;
using SocketRelay.Infrastructure.Configuration;
using SocketRelay.Infrastructure.Connections;
using SocketRelay.Infrastructure.LambdaRuntime;
using SocketRelay.Infrastructure.Logging;
using SocketRelay.Infrastructure.Resilience;

namespace SocketRelay.Infrastructure;

public static class DependencyInjection
{
    /// <summary>
    /// Everything the function needs to process SQS batches: the Application services tuned by
    /// <paramref name="settings"/>, the SigV4-signed <c>@connections</c> client wrapped in the Polly
    /// retry decorator as the <see cref="IConnectionNotifier"/>, and the <see cref="SqsBatchFunction"/> handler.
    /// Logging comes from the host.
    /// </summary>
    public static IServiceCollection AddInfrastructureServices(this IServiceCollection services, FunctionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        services.AddApplicationServices(options =>
        {
            options.MaxConcurrentGroups = settings.Batch.MaxConcurrentGroups;
            options.DeadlineSafetyMargin = settings.Batch.DeadlineSafetyMargin;
        });
        services.AddConnectionsApiNotifier(options =>
        {
            options.Endpoint = settings.Endpoint;
            options.Region = settings.Region;
        });
        services.AddSingleton<IConnectionNotifier>(provider => new ResilientConnectionNotifier(
            provider.GetRequiredService<ConnectionsApiNotifier>(),
            settings.Retry,
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<ResilientConnectionNotifier>>()));
        services.AddSingleton<SqsBatchFunction>();
        return services;
    }

    /// <summary>
    /// The Lambda Runtime API loop on <paramref name="runtime"/>, with Powertools-shaped JSON logs to
    /// <paramref name="output"/> stamped from <paramref name="logContext"/> and levelled by the
    /// Powertools variables read through <paramref name="getEnvironmentVariable"/>.
    /// </summary>
    public static IServiceCollection AddLambdaRuntime(
        this IServiceCollection services, RuntimeApiClient runtime, LambdaLogContext logContext, TextWriter output, Func<string, string?> getEnvironmentVariable)
    {
        services.AddLogging(logging => logging.AddLambdaJsonLogging(getEnvironmentVariable, output, logContext));
        services.AddSingleton(runtime);
        services.AddSingleton(logContext);
        services.AddSingleton<LambdaRuntimeLoop>();
        return services;
    }
}
