using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SocketRelay.Application.Configuration;
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
public sealed partial class GatewayHost : IAsyncDisposable
{
    /// <summary>How long a Ctrl+C or SIGTERM waits for the invocations in flight before it abandons them.</summary>
    internal static readonly TimeSpan LongestDrain = TimeSpan.FromSeconds(10);

    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _abandoning = new();
    private WebApplication? _app;
    private IFifoQueue? _queue;
    private LocalRuntimeApi? _runtime;
    private IFunctionHost? _function;
    private Task[] _pollers = [];
    private PipelineRecorder? _recorder;
    private bool _started;

    /// <summary>The data directory and its first ancestor this start created, if it created them (see <see cref="RemoveDataDirectoryThisStartCreated"/>).</summary>
    private (string Directory, string Outermost)? _createdDataDirectory;

    private GatewayHost(GatewayOptions options)
    {
        Options = options;
        Identity = options.ToIdentity();
    }

    public GatewayOptions Options { get; }

    /// <summary>The account, region and function every ARN, header and log line of this gateway names.</summary>
    public LocalIdentity Identity { get; }

    /// <summary>
    /// The HTTP base address a client on this machine reaches the gateway at: the bound address with the port
    /// resolved when 0 was asked; <c>127.0.0.1</c> for a wildcard bind (<c>0.0.0.0</c>, <c>::</c>), <c>[::1]</c> for
    /// <c>::1</c>, else the address given to <c>--host</c> (IPv6 in brackets).
    /// </summary>
    public Uri HttpUrl { get; private set; } = null!;

    public Uri WebSocketUrl => new UriBuilder(HttpUrl) { Scheme = "ws" }.Uri;

    /// <summary>
    /// The management endpoint with the stage on <see cref="HttpUrl"/>'s address, e.g. <c>http://127.0.0.1:{port}/{stage}</c>
    /// or <c>http://[::1]:{port}/{stage}</c>: what the function gets as <c>WEBSOCKET_API_ENDPOINT</c> (as in AWS,
    /// <c>/@connections/{id}</c> goes after it). Always an address the gateway listens on.
    /// </summary>
    public Uri ConnectionsEndpoint => new UriBuilder(HttpUrl) { Path = "/" + Options.Stage }.Uri;

    /// <summary>The <c>host:port</c> of each execution environment's Runtime API, in environment order (empty before start).</summary>
    public IReadOnlyList<string> RuntimeApiAddresses => _runtime?.Addresses ?? [];

    public string FunctionDescription => _function?.Description ?? "";

    public IFifoQueue Queue => _queue!;

    public ConnectionRegistry Connections => _app!.Services.GetRequiredService<ConnectionRegistry>();

    /// <summary>The developer console's bookkeeping; null when <see cref="GatewayOptions.DevConsole"/> is off.</summary>
    public PipelineRecorder? Recorder => _recorder;

    public Task Stopped => _app?.WaitForShutdownAsync() ?? Task.CompletedTask;

    /// <exception cref="InvalidOptionsException">The options are invalid, or the in-process function refused its environment
    /// as it started; it lists every problem by switch (a function variable as <see cref="FunctionVariableOrigin"/> names it).</exception>
    /// <exception cref="GatewayStartException">A part could not start (port in use, unknown host, locked or unusable data directory,
    /// missing, non-executable or directory function binary); the message says which option or variable to change.</exception>
    public static async Task<GatewayHost> StartAsync(
        GatewayOptions options, Func<string, string?> environment, TextWriter functionLogs, Action<ILoggingBuilder> configureLogging)
    {
        ArgumentNullException.ThrowIfNull(options);
        InvalidOptionsException.ThrowIfAny(nameof(GatewayOptions), options.Problems(environment));

        var host = new GatewayHost(options);
        try
        {
            await host.StartComponentsAsync(environment, functionLogs, configureLogging);
            host._started = true;
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            host.RemoveDataDirectoryThisStartCreated();
            throw;
        }
    }

    /// <summary>
    /// After a refused start: the data directory goes again if this start created it, so a start that served
    /// nothing leaves nothing behind. Only the queue's own files are removed, and the directory only if that
    /// empties it.
    /// </summary>
    private void RemoveDataDirectoryThisStartCreated()
    {
        if (_createdDataDirectory is not var (directory, outermost))
        {
            return;
        }

        try
        {
            var database = Path.Combine(directory, SqliteQueueOptions.DatabaseFileName);
            foreach (var file in new[] { database, database + "-wal", database + "-shm", database + ".lock" })
            {
                File.Delete(file);
            }

            // The directory, then each parent this start created with it, as long as each is empty.
            for (var current = directory; current is not null && !Directory.EnumerateFileSystemEntries(current).Any(); current = Path.GetDirectoryName(current))
            {
                Directory.Delete(current);
                if (string.Equals(current, outermost, StringComparison.Ordinal))
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The refusal is what the user needs to read; a directory left behind is harmless.
        }
    }

    private async Task StartComponentsAsync(Func<string, string?> environment, TextWriter functionLogs, Action<ILoggingBuilder> configureLogging)
    {
        var address = await ResolveHostAsync(Options.Host);
        if (Options.Queue == "sqlite" && !Directory.Exists(Options.DataDir))
        {
            var directory = Path.GetFullPath(Options.DataDir).TrimEnd(Path.DirectorySeparatorChar);
            var outermost = directory;
            while (Path.GetDirectoryName(outermost) is { } parent && !Directory.Exists(parent))
            {
                outermost = parent;
            }

            _createdDataDirectory = (directory, outermost);
        }

        try
        {
            _queue = GatewayQueue.Open(Options);
        }
        catch (QueueStoreException ex)
        {
            throw new GatewayStartException($"--data-dir {Options.DataDir} cannot be used: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The directory cannot be created or written (a file is in its place, no permission, a read-only file system).
            throw new GatewayStartException($"--data-dir {Options.DataDir} cannot be used: {ex.Message} Choose a directory this user can create and write.", ex);
        }

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

        var builder = LocalWebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        configureLogging(builder.Logging);
        // A failed start is reported once, as a GatewayStartException, not also by the host's own error log.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
        // ASP.NET Core's hosting starts an Activity and a logging scope for every request whenever this
        // category is enabled at all, even at Critical: for each @connections post, one per reply. At
        // Warning and above it logs only a failed start (reported once, as a GatewayStartException) and
        // the HTTP_PORTS override notice (this host reads no configuration), so it is off (ADR-044).
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(address, Options.Port));
        builder.Services.AddSingleton<IStopDrain>(services => new DrainOnStop(this, services.GetRequiredService<ILogger<DrainOnStop>>()));
        builder.Services.AddSingleton(_queue).AddSingleton(observer).AddSingleton<IInboundMessageSink, QueueInboundSink>().AddApiGateway(api =>
        {
            Options.ConfigureApiGateway(api, Identity);
            api.BoundAddress = address;
        });
        _app = builder.Build();
        _app.UseApiGateway();
        var registry = _app.Services.GetRequiredService<ConnectionRegistry>();
        _app.MapGatewayStatus(new GatewayStatus(_queue, () => registry.Count));
        if (_recorder is not null)
        {
            var recorder = _recorder;
            registry.Removed += id => recorder.ConnectionClosed(id.Value);
            _app.MapDeveloperConsole(_recorder, _queue, registry);
        }

        try
        {
            await _app.StartAsync();
        }
        catch (Exception ex) when (ex is IOException or SocketException)
        {
            throw ex.InnerException is AddressInUseException
                ? new GatewayStartException($"port {Options.Port} on {address} is already in use (--port): stop what is using it, or choose another port with --port", ex)
                : new GatewayStartException($"cannot listen on {address} port {Options.Port} (--host, --port): {ex.InnerException?.Message ?? ex.Message}; use an address of this machine, such as 127.0.0.1", ex);
        }

        var bound = _app.BoundAddress();
        HttpUrl = new UriBuilder(bound) { Host = address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) ? "127.0.0.1" : bound.Host }.Uri;

        try
        {
            _runtime = await LocalRuntimeApi.StartAsync(Options.RuntimeApiPort, Options.Pollers, _app.Services.GetRequiredService<ILogger<LocalRuntimeApi>>());
        }
        catch (Exception ex) when (ex is IOException or SocketException)
        {
            throw new GatewayStartException(RuntimeApiPortProblem(Options.RuntimeApiPort, Options.Pollers, ex.InnerException?.Message ?? ex.Message), ex);
        }

        _runtime.FunctionArn = Identity.FunctionArn;
        var taskRoot = Options.FunctionBinary is { } functionBinary ? ChildProcessFunctionHost.TaskRootOf(functionBinary) : AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
        var functionEnvironment = FunctionEnvironment.For(
            ConnectionsEndpoint, Identity, Options.Handler, taskRoot, Options.FunctionEnvironment, new ConnectionsApiCredentials(Options.AccessKeyId, Options.SecretAccessKey), environment);
        try
        {
            _function = Options.FunctionBinary is { } binary
                ? ChildProcessFunctionHost.Start(binary, _runtime, functionEnvironment, functionLogs, _app.Services.GetRequiredService<ILogger<ChildProcessFunctionHost>>())
                : InProcessFunctionHost.Start(_runtime, functionEnvironment, functionLogs);
        }
        catch (Exception ex) when (ex is FileNotFoundException or UnauthorizedAccessException)
        {
            throw new GatewayStartException(ex.Message, ex);
        }
        catch (InvalidOptionsException ex)
        {
            // The in-process function reads its settings as it starts, as Lambda's init does. A bad one
            // is an option of the gateway's (--function-env, or a variable the function inherits) and is
            // refused as every bad option is, named by where it was set.
            throw new InvalidOptionsException(
                "function environment",
                [.. ex.Problems.Select(p => p.Renamed(FunctionVariableOrigin(p.Name, environment)))]);
        }

        var eventSource = new EventSourceOptions
        {
            Pollers = Options.Pollers,
            FunctionTimeout = TimeSpan.FromSeconds(Options.FunctionTimeoutSeconds),
            VisibilityTimeout = TimeSpan.FromSeconds(Options.VisibilityTimeoutSeconds),
            Region = Identity.Region,
            QueueArn = Identity.QueueArn,
        };
        eventSource.Validate();
        var pollerLogger = _app.Services.GetRequiredService<ILogger<EventSourcePoller>>();
        _pollers = [.. Enumerable.Range(0, Options.Pollers).Select(_ =>
            Task.Run(() => new EventSourcePoller(_queue, _runtime, eventSource, pollerLogger, observer).RunAsync(_stopping.Token, _abandoning.Token)))];
    }

    /// <summary>
    /// Why the Runtime API could not listen, naming the port that is taken: <c>--runtime-api-port N</c> takes
    /// <paramref name="environments"/> consecutive loopback ports from N, one per execution environment.
    /// </summary>
    internal static string RuntimeApiPortProblem(int firstPort, int environments, string reason)
    {
        var ports = firstPort == 0 ? [] : Enumerable.Range(firstPort, environments).Where(p => p <= IPEndPoint.MaxPort).ToList();
        var busy = ports.Where(IsTaken).ToList();
        var named = busy.Count == 0 ? firstPort.ToString(System.Globalization.CultureInfo.InvariantCulture) : string.Join(", ", busy);
        var range = environments == 1 || firstPort == 0
            ? ""
            : $" takes {environments} consecutive ports, {firstPort}–{firstPort + environments - 1}, one per execution environment (--pollers)";
        return $"the Lambda Runtime API cannot listen on 127.0.0.1 port {named} (--runtime-api-port {firstPort}{range}): {reason}; "
            + "choose a first port whose next ones are free too, or 0 for free ports";
    }

    private static bool IsTaken(int port)
    {
        try
        {
            using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            probe.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return false;
        }
        catch (SocketException)
        {
            return true;
        }
    }

    /// <summary>
    /// The address to bind for <paramref name="host"/>: an IP address as written, else the first
    /// address the name resolves to, IPv4 first (<c>localhost</c> binds <c>127.0.0.1</c>).
    /// </summary>
    /// <exception cref="GatewayStartException">The name does not resolve.</exception>
    internal static async Task<IPAddress> ResolveHostAsync(string host)
    {
        if (IPAddress.TryParse(host, out var literal))
        {
            return literal;
        }

        IPAddress[] addresses;
        try
        {
            addresses = await Dns.GetHostAddressesAsync(host);
        }
        catch (Exception ex) when (ex is SocketException or ArgumentException)
        {
            addresses = [];
        }

        return addresses.OrderBy(a => a.AddressFamily == AddressFamily.InterNetwork ? 0 : 1).FirstOrDefault()
            ?? throw new GatewayStartException(
                $"--host '{host}' is neither an IP address nor a name this machine can resolve: give an address such as 127.0.0.1 (this machine only) or 0.0.0.0 (every interface)");
    }

    /// <summary>Asks the web host to stop, as Ctrl+C and SIGTERM do; <see cref="Stopped"/> completes once it has.</summary>
    public void RequestStop() => _app?.Lifetime.StopApplication();

    /// <summary>
    /// The first step of stopping on Ctrl+C or SIGTERM, before Kestrel closes the clients' sockets: the
    /// pollers take no new batch, and a batch already invoked gets its function's answer (its replies
    /// posted, its messages deleted) within <paramref name="longest"/> or <paramref name="cancellationToken"/>,
    /// whichever ends first; what is still running then is abandoned, not deleted, and received again (the SQLite
    /// queue releases its leases at start; SQS after the visibility timeout).
    /// </summary>
    /// <returns>Whether every batch in flight was answered; false when some were abandoned.</returns>
    internal async Task<bool> DrainAsync(TimeSpan longest, CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        var pollers = Task.WhenAll(_pollers);
        await pollers.WaitAsync(longest, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (pollers.IsCompleted)
        {
            return true;
        }

        await _abandoning.CancelAsync();
        return false;
    }

    public async ValueTask DisposeAsync()
    {
        // Disposed directly (not through a signal), nothing waits for the batches in flight.
        await _stopping.CancelAsync();
        await _abandoning.CancelAsync();
        await Task.WhenAll(_pollers).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (_function is not null)
        {
            await _function.DisposeAsync();
        }

        if (_app is not null)
        {
            await _app.StopAsync();
            await LogStoppedAsync(_app.Services.GetRequiredService<ILogger<GatewayHost>>());
            await _app.DisposeAsync();
        }

        if (_runtime is not null)
        {
            await _runtime.DisposeAsync();
        }

        (_queue as IDisposable)?.Dispose();
        _stopping.Dispose();
        _abandoning.Dispose();
    }

    /// <summary>
    /// How a refused function variable is named: <c>--function-env NAME</c> when it was set there (names match
    /// without regard to case, as the function's configuration reads them), the variable with a note when the
    /// function inherited it from the gateway's environment, else the variable as the function's default (a
    /// rule between two variables can name one that nobody set).
    /// </summary>
    private string FunctionVariableOrigin(string name, Func<string, string?> environment) =>
        Options.FunctionEnvironment.Keys.Any(key => string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            ? $"--function-env {name}"
            : environment(name) is not null
                ? $"{name} (an environment variable the in-process function inherits; override it with --function-env)"
                : $"{name} (the function's default; set it with --function-env)";

    /// <summary>
    /// The last line of a stop of a gateway that started, whether or not anything was in flight: the queue's counters as
    /// <c>/_local/status</c> gives them, so the operator sees what waits for the next start. A queue that
    /// cannot say within 2 s (SQS unreachable) gets a line without them; the stop goes on either way.
    /// </summary>
    private async Task LogStoppedAsync(ILogger logger)
    {
        // A start that failed says why in one line of its own; a gateway that never ran has no stop to report.
        if (!_started || _queue is null)
        {
            return;
        }

        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            var stats = await _queue.GetStatsAsync(timeout.Token);
            LogStopped(logger, stats.Accepted, stats.Completed, stats.QueueDepth, stats.InFlight, stats.DeadLetterQueueDepth);
        }
        catch (Exception ex)
        {
            // Whatever the queue's failure, the stop completes: the line says why it has no counts.
            LogStoppedWithoutCounts(logger, ex.Message);
        }
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "Stopped: accepted {accepted}, completed {completed}, queue depth {queueDepth}, in flight {inFlight}, dead letters {deadLetters} (the counters of /_local/status)")]
    private static partial void LogStopped(ILogger logger, long accepted, long completed, long queueDepth, long inFlight, long deadLetters);

    [LoggerMessage(EventId = 11, Level = LogLevel.Information, Message = "Stopped; the queue's counters could not be read: {reason}")]
    private static partial void LogStoppedWithoutCounts(ILogger logger, string reason);
}
