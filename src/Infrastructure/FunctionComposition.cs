using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SocketRelay.Application;
using SocketRelay.Application.Ports;
using SocketRelay.Infrastructure.Configuration;
using SocketRelay.Infrastructure.Connections;
using SocketRelay.Infrastructure.LambdaRuntime;
using SocketRelay.Infrastructure.Logging;
using SocketRelay.Infrastructure.Resilience;
using SocketRelay.Infrastructure.Sqs;

namespace SocketRelay.Infrastructure;

/// <summary>
/// The function's composition, the same for every host: the AOT <c>bootstrap</c> and the local
/// gateway's in-process execution environments each call <see cref="AddLambdaRuntime"/> (what
/// differs per host: where the Runtime API is, where logs go) and <see cref="AddFunction"/> (what
/// the function is), and nothing else, so what runs locally is what runs in Lambda (ADR-009).
/// </summary>
public static class FunctionComposition
{
    /// <summary>
    /// Everything the function needs to process SQS batches: the settings read from
    /// <paramref name="configuration"/> (<see cref="FunctionSettings"/>), the Application services tuned
    /// by them, the SigV4-signed <c>@connections</c> client wrapped in the Polly retry decorator as the
    /// <see cref="IConnectionNotifier"/>, <see cref="SqsBatchFunction"/> as the loop's
    /// <see cref="InvocationHandler"/>, and the user's reply logic (<see cref="ReplyLogic.AddReplyLogic"/>).
    /// </summary>
    /// <param name="services">Services with logging already added (see <see cref="AddLambdaRuntime"/>).</param>
    /// <param name="configuration">The function's environment variables.</param>
    /// <exception cref="SocketRelay.Application.Configuration.InvalidOptionsException">A setting is missing or invalid; the message names every problem.</exception>
    public static IServiceCollection AddFunction(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = FunctionSettings.Load(configuration);
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
        services.AddSingleton<InvocationHandler>(provider => provider.GetRequiredService<SqsBatchFunction>().HandleAsync);
        services.AddReplyLogic(configuration);
        return services;
    }

    /// <summary>
    /// The Lambda Runtime API loop on <paramref name="runtime"/>, with Powertools-shaped JSON logs to
    /// <paramref name="output"/> stamped from <paramref name="logContext"/> and levelled by the
    /// Powertools variables read through <paramref name="getEnvironmentVariable"/>. The loop runs the
    /// <see cref="InvocationHandler"/> that <see cref="AddFunction"/> registers.
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
