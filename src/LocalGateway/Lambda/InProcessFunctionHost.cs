using Amazon.Runtime;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SocketRelay.Infrastructure;
using SocketRelay.Infrastructure.Connections;
using SocketRelay.Infrastructure.LambdaRuntime;
using SocketRelay.Infrastructure.Logging;

namespace SocketRelay.LocalGateway.Lambda;

/// <summary>
/// The function in this process: the same composition (<see cref="FunctionComposition"/>, with the
/// reply logic of <see cref="ReplyLogic"/>) and runtime loop as the <c>bootstrap</c> binary, one
/// independent instance (services, log context, Runtime API connection) per execution environment,
/// as Lambda runs one invocation at a time per environment. Only the credentials differ: they come
/// from the environment given to the function, not from this process's.
/// </summary>
public sealed class InProcessFunctionHost : IFunctionHost
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<(ServiceProvider Services, Task Loop)> _instances = [];

    private InProcessFunctionHost()
    {
    }

    public string Description => $"in-process ({_instances.Count} execution environments)";

    /// <exception cref="SocketRelay.Application.Configuration.InvalidOptionsException">The function's configuration is invalid; the message names every problem.</exception>
    public static InProcessFunctionHost Start(int instances, string runtimeApi, IReadOnlyDictionary<string, string?> environment, TextWriter logOutput)
    {
        ArgumentNullException.ThrowIfNull(environment);
        string? Get(string name) => environment.TryGetValue(name, out var value) ? value : null;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(environment).Build();
        var credentials = new StaticAwsCredentialsProvider(new ImmutableCredentials(Get("AWS_ACCESS_KEY_ID"), Get("AWS_SECRET_ACCESS_KEY"), null));
        var host = new InProcessFunctionHost();
        for (var i = 0; i < instances; i++)
        {
            var services = new ServiceCollection()
                .AddSingleton<IAwsCredentialsProvider>(credentials)
                .AddLambdaRuntime(new RuntimeApiClient(runtimeApi), new LambdaLogContext(Get), logOutput, Get)
                .AddFunction(configuration)
                .BuildServiceProvider();
            var loop = services.GetRequiredService<LambdaRuntimeLoop>();
            host._instances.Add((services, Task.Run(() => loop.RunAsync(host._stopping.Token))));
        }

        return host;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        foreach (var (services, loop) in _instances)
        {
            await loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            services.GetRequiredService<RuntimeApiClient>().Dispose();
            await services.DisposeAsync();
        }

        _stopping.Dispose();
    }
}
