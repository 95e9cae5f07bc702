using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SocketRelay.Application.Batches;
using SocketRelay.Application.Ports;

namespace SocketRelay.Application;

public static class DependencyInjection
{
    /// <summary>
    /// Registers <see cref="BatchProcessor"/>, its options (validated here) and the system clock (if
    /// none is registered). The <see cref="IReplyHandler"/>, an <see cref="IConnectionNotifier"/> and
    /// logging come from the outer layers: the function's reply handler is registered in one place,
    /// <c>ReplyLogic.AddReplyLogic</c> in Infrastructure.
    /// </summary>
    public static IServiceCollection AddApplicationServices(this IServiceCollection services, Action<BatchProcessingOptions>? configure = null)
    {
        var options = new BatchProcessingOptions();
        configure?.Invoke(options);
        options.Validate();

        services.AddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<BatchProcessor>();
        return services;
    }
}
