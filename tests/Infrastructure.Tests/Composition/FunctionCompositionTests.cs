using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SocketRelay.Application.Configuration;
using SocketRelay.Application.Ports;
using SocketRelay.Infrastructure.LambdaRuntime;
using SocketRelay.Infrastructure.Logging;
using SocketRelay.Infrastructure.Sqs;

namespace SocketRelay.Infrastructure.Tests.Composition;

public class FunctionCompositionTests
{
    private static IConfiguration Environment(string? endpoint = "https://abc123.execute-api.eu-west-1.amazonaws.com/prod") =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["WEBSOCKET_API_ENDPOINT"] = endpoint }).Build();

    private static IServiceCollection Compose(IConfiguration configuration) =>
        new ServiceCollection()
            .AddLambdaRuntime(new RuntimeApiClient("127.0.0.1:9"), new LambdaLogContext(_ => null), TextWriter.Null, _ => null)
            .AddFunction(configuration);

    [Fact]
    public void The_function_runs_the_one_reply_handler_that_ReplyLogic_registers_and_nothing_registers_another()
    {
        var configuration = Environment();
        var expected = Assert.Single(new ServiceCollection().AddReplyLogic(configuration), d => d.ServiceType == typeof(IReplyHandler));

        var services = Compose(configuration);
        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });

        var registered = Assert.Single(services, d => d.ServiceType == typeof(IReplyHandler));
        Assert.Equal(expected.ImplementationType, registered.ImplementationType);
        Assert.IsType(expected.ImplementationType!, provider.GetRequiredService<IReplyHandler>());
    }

    [Fact]
    public async Task The_invocation_handler_of_the_composition_takes_sqs_events_and_rejects_anything_else_as_malformed()
    {
        using var provider = Compose(Environment()).BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        var handler = provider.GetRequiredService<InvocationHandler>();
        var deadline = DateTimeOffset.UtcNow.AddMinutes(1);

        var empty = await handler(new Invocation("r1", deadline, "arn", null, "{\"Records\":[]}"u8.ToArray()), CancellationToken.None);
        var error = await Assert.ThrowsAsync<MalformedEventException>(() => handler(new Invocation("r2", deadline, "arn", null, "{\"Records\":42}"u8.ToArray()), CancellationToken.None));

        Assert.Equal("{\"batchItemFailures\":[]}", System.Text.Encoding.UTF8.GetString(empty));
        Assert.Equal("SocketRelay.MalformedEvent", error.ErrorType);
    }

    [Fact]
    public void A_bad_setting_fails_the_composition_naming_the_variable()
    {
        var error = Assert.Throws<InvalidOptionsException>(() => Compose(Environment(endpoint: null)));

        Assert.Contains("WEBSOCKET_API_ENDPOINT", error.Message, StringComparison.Ordinal);
    }
}
