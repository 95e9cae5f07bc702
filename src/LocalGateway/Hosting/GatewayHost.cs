using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SocketRelay.LocalGateway.ApiGateway;
using SocketRelay.LocalGateway.DevConsole;
using SocketRelay.LocalGateway.EventSource;
using SocketRelay.LocalGateway.Lambda;
using SocketRelay.LocalGateway.Queue;
using SocketRelay.LocalGateway.Status;

namespace SocketRelay.LocalGateway.Hosting;

/// <summary>
/// The whole pipeline on one machine: the emulated API Gateway (WebSocket and <c>@connections</c>
/// APIs) on Kestrel, the durable FIFO queue, the event-source pollers, the local Lambda Runtime API
/// and the function (in-process or published binary). Started and stopped as one.
/// </summary>
public sealed class GatewayHost : IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private WebApplication? _app;
    private IFifoQueue? _queue;
    private LocalRuntimeApi? _runtime;
    private IFunctionHost? _function;
    private Task[] _pollers = [];
    private PipelineRecorder? _recorder;

    private GatewayHost(GatewayOptions options) => Options = options;

    public GatewayOptions Options { get; }

    /// <summary>The HTTP base address actually bound (the port is resolved when 0 was asked).</summary>
    public Uri HttpUrl { get; private set; } = null!;

    public Uri WebSocketUrl => new UriBuilder(HttpUrl) { Scheme = "ws" }.Uri;

    public string RuntimeApiAddress => _runtime?.Address ?? "";

    public string FunctionDescription => _function?.Description ?? "";

    public IFifoQueue Queue => _queue!;

    public ConnectionRegistry Connections => _app!.Services.GetRequiredService<ConnectionRegistry>();

    /// <summary>The developer console's bookkeeping; null when <see cref="GatewayOptions.DevConsole"/> is off.</summary>
    public PipelineRecorder? Recorder => _recorder;

    public Task Stopped => _app?.WaitForShutdownAsync() ?? Task.CompletedTask;

    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    public static async Task<GatewayHost> StartAsync(
        GatewayOptions options, Func<string, string?> environment, TextWriter functionLogs, Action<ILoggingBuilder> configureLogging)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Problems().ToList();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, problems), nameof(options));
        }

        var host = new GatewayHost(options);
        try
        {
            await host.StartComponentsAsync(environment, functionLogs, configureLogging);
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    private async Task StartComponentsAsync(Func<string, string?> environment, TextWriter functionLogs, Action<ILoggingBuilder> configureLogging)
    {
        _queue = GatewayQueue.Open(Options);
        IPipelineObserver observer = NoPipelineObserver.Instance;
        if (Options.DevConsole)
        {
            _recorder = new PipelineRecorder(TimeProvider.System);
            observer = _recorder;
            functionLogs = new FunctionLogTap(functionLogs, _recorder);
            if (_queue is SqliteFifoQueue sqlite)
            {
                sqlite.DeadLetterObserver = _recorder;
            }
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        configureLogging(builder.Logging);
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Parse(Options.Host), Options.Port));
        builder.Services.AddSingleton(_queue).AddSingleton(observer).AddSingleton<IInboundMessageSink, QueueInboundSink>().AddApiGateway(api => api.Faults = Options.ToFaultOptions());
        _app = builder.Build();
        _app.UseApiGateway();
        var registry = _app.Services.GetRequiredService<ConnectionRegistry>();
        _app.MapGatewayStatus(new GatewayStatus(_queue, () => registry.Count));
        if (_recorder is not null)
        {
            _app.MapDeveloperConsole(_recorder, _queue, registry);
        }
        await _app.StartAsync();
        var bound = _app.BoundAddress();
        HttpUrl = new UriBuilder(bound) { Host = Options.Host == "0.0.0.0" || Options.Host == "::" ? "127.0.0.1" : bound.Host }.Uri;

        _runtime = await LocalRuntimeApi.StartAsync(Options.RuntimeApiPort);
        var loopbackEndpoint = new UriBuilder(HttpUrl) { Host = "127.0.0.1" }.Uri;
        var functionEnvironment = FunctionEnvironment.For(loopbackEndpoint, "us-east-1", environment);
        _function = Options.FunctionBinary is { } binary
            ? ChildProcessFunctionHost.Start(binary, Options.Pollers, _runtime.Address, functionEnvironment, functionLogs, _app.Services.GetRequiredService<ILogger<ChildProcessFunctionHost>>())
            : InProcessFunctionHost.Start(Options.Pollers, _runtime.Address, functionEnvironment, functionLogs);

        var eventSource = new EventSourceOptions
        {
            Pollers = Options.Pollers,
            FunctionTimeout = TimeSpan.FromSeconds(Options.FunctionTimeoutSeconds),
            VisibilityTimeout = TimeSpan.FromSeconds(Options.VisibilityTimeoutSeconds),
        };
        eventSource.Validate();
        var pollerLogger = _app.Services.GetRequiredService<ILogger<EventSourcePoller>>();
        _pollers = [.. Enumerable.Range(0, Options.Pollers).Select(_ =>
            Task.Run(() => new EventSourcePoller(_queue, _runtime, eventSource, pollerLogger, observer).RunAsync(_stopping.Token)))];
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await Task.WhenAll(_pollers).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (_function is not null)
        {
            await _function.DisposeAsync();
        }

        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        if (_runtime is not null)
        {
            await _runtime.DisposeAsync();
        }

        (_queue as IDisposable)?.Dispose();
        _stopping.Dispose();
    }
}
