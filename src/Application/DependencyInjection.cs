using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SocketRelay.Application.Batches;
using SocketRelay.Application.Metrics;
using SocketRelay.Application.Ports;
using SocketRelay.Application.Replies;

namespace SocketRelay.Application;

public static class DependencyInjection
{
    /// <summary>
    /// Registers <see cref="BatchProcessor"/>, its options, the system clock and the default echo
    /// <see cref="IReplyHandler"/> (register your own handler before or after: yours wins) and
    /// <see cref="FunctionMetrics"/>. An <see cref="IConnectionNotifier"/>, logging and an
    /// <see cref="System.Diagnostics.Metrics.IMeterFactory"/> come from the outer layers.
    /// </summary>
    public static IServiceCollection AddApplicationServices(this IServiceCollection services, Action<BatchProcessingOptions>? configure = null)
    {
        var options = new BatchProcessingOptions();
        configure?.Invoke(options);
        options.Validate();

        services.AddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IReplyHandler, EchoReplyHandler>();
        services.TryAddSingleton<FunctionMetrics>();
        services.AddSingleton<BatchProcessor>();
        return services;
    }
}
