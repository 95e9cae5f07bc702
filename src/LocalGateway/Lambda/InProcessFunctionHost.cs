using System.Collections.Concurrent;
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
/// independent instance (services, log context, Runtime API connection, environment variables) per execution
/// environment, as Lambda runs one invocation at a time per environment. Each instance reads its configuration
/// and credentials from its own copy of the Lambda environment (<see cref="FunctionEnvironment"/>), never from
/// this process's. An instance whose invocation times out is stopped (its loop cancelled; whatever it posts
/// late is refused) and replaced by a fresh one, a cold start, as Lambda replaces the environment. On a Runtime
/// API the first environment starts at once and each of the others when an event finds every started one busy
/// (<see cref="LocalRuntimeApi.EnvironmentWanted"/>), as Lambda adds environments while concurrency rises.
/// </summary>
public sealed class InProcessFunctionHost : IFunctionHost
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly IReadOnlyDictionary<string, string?> _function;
    private readonly LocalRuntimeApi? _runtime;
    private readonly TextWriter _logOutput;
    private readonly Lock _instancesLock = new();
    private readonly List<Instance> _instances = [];
    private readonly Instance?[] _current;

    private InProcessFunctionHost(IReadOnlyDictionary<string, string?> function, LocalRuntimeApi? runtime, int environments, TextWriter logOutput)
    {
        _function = function;
        _runtime = runtime;
        _logOutput = logOutput;
        _current = new Instance?[environments];
    }

    public string Description => _runtime is null
        ? $"in-process ({_current.Length} on one Runtime API)"
        : $"in-process ({FunctionEnvironment.Count(_current.Length)})";

    /// <summary>
    /// Up to one environment per execution environment of <paramref name="runtime"/>: the first now, the others as
    /// events find every started one busy; each replaced when its invocation times out.
    /// </summary>
    /// <param name="environment">The function's variables (<see cref="FunctionEnvironment.For"/>); each environment also gets its Runtime API and log stream.</param>
    /// <exception cref="SocketRelay.Application.Configuration.InvalidOptionsException">The function's configuration is invalid; the message names every problem.</exception>
    public static InProcessFunctionHost Start(LocalRuntimeApi runtime, IReadOnlyDictionary<string, string?> environment, TextWriter logOutput)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        ArgumentNullException.ThrowIfNull(environment);
        var host = new InProcessFunctionHost(environment, runtime, runtime.EnvironmentCount, logOutput);
        runtime.EnvironmentTimedOut += host.Replace;
        runtime.StartEnvironmentsOnDemand(host.StartEnvironment);
        return host;
    }

    /// <summary><paramref name="instances"/> environments all on the one Runtime API at <paramref name="runtimeApi"/>, not replaced on a time-out.</summary>
    /// <exception cref="SocketRelay.Application.Configuration.InvalidOptionsException">The function's configuration is invalid; the message names every problem.</exception>
    public static InProcessFunctionHost Start(int instances, string runtimeApi, IReadOnlyDictionary<string, string?> environment, TextWriter logOutput)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var host = new InProcessFunctionHost(environment, runtime: null, instances, logOutput);
        for (var i = 0; i < instances; i++)
        {
            host.StartInstance(i, runtimeApi);
        }

        return host;
    }

    public async ValueTask DisposeAsync()
    {
        if (_runtime is not null)
        {
            _runtime.EnvironmentTimedOut -= Replace;
            _runtime.EnvironmentWanted -= StartEnvironment;
        }

        await _stopping.CancelAsync();
        Instance[] instances;
        lock (_instancesLock)
        {
            instances = [.. _instances];
        }

        foreach (var instance in instances)
        {
            await instance.StopAsync();
        }

        _stopping.Dispose();
    }

    private void StartEnvironment(int environment)
    {
        lock (_instancesLock)
        {
            if (!_stopping.IsCancellationRequested)
            {
                StartInstance(environment, _runtime!.AddressOf(environment));
            }
        }
    }

    private void Replace(int environment)
    {
        lock (_instancesLock)
        {
            if (_stopping.IsCancellationRequested)
            {
                return;
            }

            if (_current[environment] is { } stopped)
            {
                // Disposed once its loop ends; a handler that never returns keeps only its own instance.
                _instances.Remove(stopped);
                _ = stopped.StopAsync();
            }

            StartInstance(environment, _runtime!.AddressOf(environment));
        }
    }

    private void StartInstance(int environment, string runtimeApi)
    {
        var variables = new ConcurrentDictionary<string, string?>(FunctionEnvironment.ForExecutionEnvironment(_function, runtimeApi, DateTimeOffset.UtcNow), StringComparer.Ordinal);
        string? Get(string name) => variables.TryGetValue(name, out var value) ? value : null;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(variables).Build();
        var credentials = new StaticAwsCredentialsProvider(new ImmutableCredentials(Get("AWS_ACCESS_KEY_ID"), Get("AWS_SECRET_ACCESS_KEY"), Get("AWS_SESSION_TOKEN")));
        var client = new RuntimeApiClient(runtimeApi);
        var services = new ServiceCollection()
            .AddSingleton<IAwsCredentialsProvider>(credentials)
            .AddLambdaRuntime(client, new LambdaLogContext(Get), _logOutput, Get, ExecutionEnvironmentVariables.Of(variables))
            .AddFunction(configuration)
            .BuildServiceProvider();
        var loop = services.GetRequiredService<LambdaRuntimeLoop>();
        var instance = new Instance(services, CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token));
        instance.Loop = Task.Run(() => loop.RunAsync(instance.Stopping.Token));
        lock (_instancesLock)
        {
            _instances.Add(instance);
            _current[environment] = instance;
        }
    }

    private sealed class Instance(ServiceProvider services, CancellationTokenSource stopping)
    {
        public CancellationTokenSource Stopping { get; } = stopping;

        public Task Loop { get; set; } = Task.CompletedTask;

        public async Task StopAsync()
        {
            await Stopping.CancelAsync();
            await Loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            services.GetRequiredService<RuntimeApiClient>().Dispose();
            await services.DisposeAsync();
            Stopping.Dispose();
        }
    }
}
