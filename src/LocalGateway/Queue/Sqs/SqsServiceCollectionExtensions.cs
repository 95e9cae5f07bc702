using Amazon.SQS;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace SocketRelay.LocalGateway.Queue.Sqs;

public static class SqsServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IFifoQueue"/> as an <see cref="SqsFifoQueue"/> (<c>--queue sqs</c>). The
    /// options are validated here, so a wrong queue URL stops the gateway at startup. An
    /// <see cref="IAmazonSQS"/> already registered is used as is; otherwise one is created by
    /// <see cref="SqsClientFactory.Create(SqsQueueOptions)"/>.
    /// </summary>
    public static IServiceCollection AddSqsFifoQueue(this IServiceCollection services, Action<SqsQueueOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new SqsQueueOptions();
        configure(options);
        options.Validate();

        services.AddSingleton(options);
        services.TryAddSingleton<IAmazonSQS>(_ => SqsClientFactory.Create(options));
        services.AddSingleton<IFifoQueue>(provider => new SqsFifoQueue(provider.GetRequiredService<IAmazonSQS>(), options));
        return services;
    }
}
