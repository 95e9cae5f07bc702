using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SocketRelay.Application.Ports;
using SocketRelay.Application.Replies;

namespace SocketRelay.Infrastructure;

/// <summary>
/// <b>Your reply logic goes here.</b> This is the one place that registers the function's
/// <see cref="IReplyHandler"/> and whatever it depends on. <see cref="FunctionComposition.AddFunction"/>
/// calls it, and both hosts run only that composition: the Native AOT <c>bootstrap</c>
/// (<c>src/Lambda</c>) and every in-process execution environment of the local gateway. See the
/// README section "Write your own reply logic".
/// </summary>
public static class ReplyLogic
{
    /// <summary>
    /// Registers the <see cref="IReplyHandler"/> (default: <see cref="EchoReplyHandler"/>, the
    /// seed's echo) and its dependencies. Register singletons, or services whose lifetime suits
    /// one process serving invocations one at a time: there is no request scope.
    /// </summary>
    /// <param name="services">The function's services; logging, <see cref="TimeProvider"/> and the
    /// <c>@connections</c> notifier are already there.</param>
    /// <param name="configuration">The function's environment variables (in Lambda: the process
    /// environment; in the local gateway: the environment it gives the function). Read your own
    /// settings from it, e.g. <c>configuration["ORDERS_TABLE"]</c>, and report every bad value by its
    /// variable name, as the function's own settings do:
    /// <c>InvalidOptionsException.ThrowIfAny("OrdersSettings", problems)</c> with one
    /// <see cref="SocketRelay.Application.Configuration.OptionProblem"/> per variable
    /// (<see cref="SocketRelay.Application.Configuration.InvalidOptionsException"/>). Lambda reports it as
    /// an init error; the local gateway does not start and names each variable.</param>
    public static IServiceCollection AddReplyLogic(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);

        // Replace the echo with your handler, e.g.:
        //   services.AddSingleton<IReplyHandler, SumReplyHandler>();
        // and register what its constructor takes (clients, options read from configuration) next to it.
        services.AddSingleton<IReplyHandler, EchoReplyHandler>();
        return services;
    }
}
