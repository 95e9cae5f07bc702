using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SocketRelay.Application;
using SocketRelay.Application.Metrics;
using SocketRelay.Application.Ports;
using SocketRelay.Infrastructure.Configuration;
using SocketRelay.Infrastructure.Connections;
using SocketRelay.Infrastructure.LambdaRuntime;
using SocketRelay.Infrastructure.Logging;
using SocketRelay.Infrastructure.Metrics;
using SocketRelay.Infrastructure.Resilience;

namespace SocketRelay.Infrastructure;

public static class DependencyInjection
{
    /// <summary>
    /// Everything the function needs to process SQS batches: the Application services tuned by
    /// <paramref name="settings"/>, the SigV4-signed <c>@connections</c> client wrapped in the Polly
    /// retry decorator as the <see cref="IConnectionNotifier"/>, the <see cref="SqsBatchFunction"/> handler,
    /// and this composition's own <see cref="IMeterFactory"/> for <see cref="FunctionMetrics"/>.
    /// Logging comes from the host.
    /// </summary>
    public static IServiceCollection AddInfrastructureServices(this IServiceCollection services, FunctionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        services.AddSingleton(settings);
        services.AddMetrics();
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
            provider.GetRequiredService<ILogger<ResilientConnectionNotifier>>(),
            provider.GetRequiredService<FunctionMetrics>()));
        services.AddSingleton<SqsBatchFunction>();
        return services;
    }

    /// <summary>
    /// The Lambda Runtime API loop on <paramref name="runtime"/>, with Powertools-shaped JSON logs to
    /// <paramref name="output"/> stamped from <paramref name="logContext"/> and levelled by the
    /// Powertools variables read through <paramref name="getEnvironmentVariable"/>, and the
    /// function's metrics as Embedded Metric Format lines to the same output, flushed after each
    /// invocation (settings from <see cref="FunctionSettings.Metrics"/>).
    /// </summary>
    public static IServiceCollection AddLambdaRuntime(
        this IServiceCollection services, RuntimeApiClient runtime, LambdaLogContext logContext, TextWriter output, Func<string, string?> getEnvironmentVariable)
    {
        services.AddLogging(logging => logging.AddLambdaJsonLogging(getEnvironmentVariable, output, logContext));
        services.AddSingleton(runtime);
        services.AddSingleton(logContext);
        services.AddSingleton(provider => new EmbeddedMetricsExporter(
            provider.GetRequiredService<IMeterFactory>(),
            provider.GetRequiredService<FunctionSettings>().Metrics,
            output,
            provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton<LambdaRuntimeLoop>();
        return services;
    }
}
