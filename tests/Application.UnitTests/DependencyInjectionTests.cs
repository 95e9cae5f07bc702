using Microsoft.Extensions.DependencyInjection;
using NSubstitute;
using SocketRelay.Application.Batches;
using SocketRelay.Application.Configuration;
using SocketRelay.Application.Ports;
using SocketRelay.Application.Replies;
using SocketRelay.Domain.Messages;

namespace SocketRelay.Application.UnitTests;

public class DependencyInjectionTests
{
    private static ServiceProvider Build(Action<IServiceCollection> extra, Action<BatchProcessingOptions>? configure = null)
    {
        var services = new ServiceCollection().AddLogging().AddMetrics();
        services.AddSingleton(Substitute.For<IConnectionNotifier>());
        extra(services);
        services.AddApplicationServices(configure);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    [Fact]
    public void The_echo_handler_is_the_default_reply_handler()
    {
        using var provider = Build(_ => { });

        Assert.IsType<EchoReplyHandler>(provider.GetRequiredService<IReplyHandler>());
        provider.GetRequiredService<BatchProcessor>(); // throws unless it is registered with everything it needs
        Assert.Same(TimeProvider.System, provider.GetRequiredService<TimeProvider>());
    }

    [Fact]
    public void A_reply_handler_registered_by_the_user_replaces_the_echo()
    {
        var mine = Substitute.For<IReplyHandler>();
        using var provider = Build(services => services.AddSingleton(mine));

        Assert.Same(mine, provider.GetRequiredService<IReplyHandler>());
    }

    [Fact]
    public void Options_are_configurable_and_validated_at_registration()
    {
        using var provider = Build(_ => { }, o => o.MaxConcurrentGroups = 4);
        Assert.Equal(4, provider.GetRequiredService<BatchProcessingOptions>().MaxConcurrentGroups);

        var error = Assert.Throws<InvalidOptionsException>(() => Build(_ => { }, o =>
        {
            o.MaxConcurrentGroups = 0;
            o.DeadlineSafetyMargin = TimeSpan.FromSeconds(-1);
        }));
        Assert.Equal(
            ["MaxConcurrentGroups must be at least 1 (was 0)", "DeadlineSafetyMargin must not be negative (was -00:00:01)"],
            error.Problems.Select(p => p.ToString()));
        Assert.Equal("MaxConcurrentGroups", error.ParamName);
    }

    [Fact]
    public async Task The_echo_handler_replies_with_the_body_unchanged()
    {
        var message = new QueuedMessage(
            Domain.Identifiers.MessageId.Create("m"), Domain.Identifiers.MessageGroupId.Create("g"),
            Domain.Identifiers.ConnectionId.Create("c"), Domain.Identifiers.RequestId.Create("r"), "{\"a\":1}", 1);

        var reply = await new EchoReplyHandler().HandleAsync(message, CancellationToken.None);

        Assert.NotNull(reply);
        Assert.Equal("c", reply.ConnectionId.Value);
        Assert.Equal("r", reply.RequestId.Value);
        Assert.Equal("{\"a\":1}", reply.Message);
    }
}
