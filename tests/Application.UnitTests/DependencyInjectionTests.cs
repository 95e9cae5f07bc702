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
    private static ServiceProvider Build(IReplyHandler? handler, Action<BatchProcessingOptions>? configure = null)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton(Substitute.For<IConnectionNotifier>());
        if (handler is not null)
        {
            services.AddSingleton(handler);
        }

        services.AddApplicationServices(configure);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    [Fact]
    public void The_reply_handler_comes_from_the_outer_layer_and_the_clock_is_the_system_clock()
    {
        var mine = Substitute.For<IReplyHandler>();
        using var provider = Build(mine);

        Assert.Same(mine, provider.GetRequiredService<IReplyHandler>());
        Assert.Same(TimeProvider.System, provider.GetRequiredService<TimeProvider>());
    }

    [Fact]
    public void No_reply_handler_is_registered_here_so_a_host_that_skips_the_one_registration_place_fails_to_start()
    {
        var error = Assert.Throws<AggregateException>(() => Build(handler: null));

        Assert.Contains(nameof(IReplyHandler), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_are_configurable_and_validated_at_registration()
    {
        var handler = new EchoReplyHandler();
        using var provider = Build(handler, o => o.MaxConcurrentGroups = 4);
        Assert.Equal(4, provider.GetRequiredService<BatchProcessingOptions>().MaxConcurrentGroups);

        var error = Assert.Throws<InvalidOptionsException>(() => Build(handler, o =>
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
