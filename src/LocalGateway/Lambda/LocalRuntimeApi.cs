using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SocketRelay.Infrastructure.LambdaRuntime;
using SocketRelay.LocalGateway.Hosting;

namespace SocketRelay.LocalGateway.Lambda;

/// <summary>How the function answered an invocation.</summary>
public enum InvocationOutcome
{
    Response,
    Error,
    TimedOut,
}

/// <summary>
/// The function's answer to one event: its response, its error (<see cref="ErrorType"/> such as
/// <c>Runtime.ExitError</c>, <see cref="ErrorMessage"/>), or <see cref="InvocationOutcome.TimedOut"/> when it
/// gave none by <see cref="Deadline"/> (hand-out time + timeout).
/// </summary>
public sealed record InvocationResult(string RequestId, InvocationOutcome Outcome, byte[] Payload, string? ErrorType, DateTimeOffset Deadline, DateTimeOffset AnsweredAt)
{
    /// <summary>The <c>errorMessage</c> of the error document, when there is one.</summary>
    public string? ErrorMessage { get; init; }
}

/// <summary>
/// The server side of the Lambda Runtime API, one loopback port per execution environment (each environment's
/// <c>AWS_LAMBDA_RUNTIME_API</c>, as each Lambda environment has its own): hands each event to whichever
/// environment asks for the next one, and completes the invoker's task with that environment's answer. As
/// Lambda serves it: request ids are UUIDs; <c>Lambda-Runtime-Trace-Id</c> is an X-Ray trace header; the
/// deadline is counted from the moment the runtime receives the event; at the deadline the invocation is a
/// time-out, <see cref="EnvironmentTimedOut"/> tells the host to stop that environment, and what the runtime
/// posts afterwards is refused (410, an error document); <c>…/error</c> and <c>init/error</c> are logged with
/// their type and message and fail the invocation at once; an environment whose process exits fails its
/// invocation with <c>Runtime.ExitError</c> (<see cref="EnvironmentExited"/>). An event queued while no environment
/// is waiting for one asks its host for another environment (<see cref="EnvironmentWanted"/>), as Lambda scales.
/// </summary>
public sealed partial class LocalRuntimeApi : IAsyncDisposable
{
    /// <summary>The error type of a refused late post: the name Lambda gives a time-out in its platform reports.</summary>
    public const string TimedOutErrorType = "Sandbox.Timedout";

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>();
    private readonly ConcurrentDictionary<string, Pending> _inFlight = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _timedOut = new();
    private readonly TaskCompletionSource<(string ErrorType, string Body)> _initError = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly WebApplication _app;
    private readonly ILogger _logger;
    private readonly Dictionary<int, int> _environmentByPort = [];
    private readonly ExecutionEnvironmentState[] _environments;
    private string[] _addresses = [];
    // Environments waiting for an event (a next request held open) minus events queued that none has taken:
    // counted when a request arrives and when an event is queued, never later, so it cannot run behind.
    private int _waitingMinusQueued;
    private int _claimed;

    private LocalRuntimeApi(WebApplication app, int environments, ILogger logger)
    {
        _app = app;
        _logger = logger;
        _environments = [.. Enumerable.Range(0, environments).Select(_ => new ExecutionEnvironmentState())];
    }

    /// <summary>The <c>host:port</c> of the first execution environment (<see cref="AddressOf"/> 0).</summary>
    public string Address => _addresses[0];

    /// <summary>The <c>host:port</c> of every execution environment, in environment order.</summary>
    public IReadOnlyList<string> Addresses => _addresses;

    /// <summary>How many execution environments this API serves, each on its own port.</summary>
    public int EnvironmentCount => _environments.Length;

    /// <summary>Sent as <c>Lambda-Runtime-Invoked-Function-Arn</c>; the gateway sets its <see cref="LocalIdentity.FunctionArn"/>.</summary>
    public string FunctionArn { get; set; } = LocalIdentity.Default.FunctionArn;

    /// <summary>Completes when a function process first reports <c>init/error</c>: its error type header and body.</summary>
    public Task<(string ErrorType, string Body)> InitError => _initError.Task;

    /// <summary>
    /// Raised with the environment's index when one of its invocations reached its deadline: its host must stop
    /// that environment (kill the process, cancel the loop) and start a fresh one, as Lambda does.
    /// </summary>
    public event Action<int>? EnvironmentTimedOut;

    /// <summary>
    /// Raised with an execution environment not started yet (each handed out once) when an event is
    /// queued while no environment is waiting for one, until every environment is started: its host starts that
    /// environment (a cold start), as Lambda adds an environment when an invocation finds every existing one
    /// busy. Raised on the invoker's thread; a host's handler must be quick.
    /// </summary>
    public event Action<int>? EnvironmentWanted;

    /// <summary>How many execution environments have been handed out for starting (<see cref="StartEnvironmentsOnDemand"/>), at most <see cref="EnvironmentCount"/>.</summary>
    public int StartedEnvironments => Math.Min(Volatile.Read(ref _claimed), _environments.Length);

    /// <summary>How many execution environments are waiting for an event right now (a <c>next</c> request held open).</summary>
    public int WaitingEnvironments => Math.Max(0, Volatile.Read(ref _waitingMinusQueued));

    /// <param name="port">The first environment's port (the next ones take the ports after it); 0 takes free ports.</param>
    /// <param name="environments">How many execution environments, one port each.</param>
    /// <param name="logger">Where invocation errors, init errors and time-outs are written (the gateway's output).</param>
    public static async Task<LocalRuntimeApi> StartAsync(int port = 0, int environments = 1, ILogger? logger = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(environments, 1);
        var builder = LocalWebApplication.CreateBuilder();
        // Stopped by its owner only, not by Ctrl+C or SIGTERM: on those the gateway first lets the
        // invocations in flight finish, and their functions still need this API to answer.
        builder.Services.AddSingleton<IHostLifetime, OwnerStoppedLifetime>();
        var listeners = new List<ListenOptions>();
        builder.WebHost.UseKestrel(kestrel =>
        {
            for (var i = 0; i < environments; i++)
            {
                kestrel.Listen(IPAddress.Loopback, port == 0 ? 0 : port + i, listen => listeners.Add(listen));
            }
        });
        var api = new LocalRuntimeApi(builder.Build(), environments, logger ?? NullLogger.Instance);
        api.MapRoutes();
        await api._app.StartAsync();
        api._addresses = new string[environments];
        for (var i = 0; i < environments; i++)
        {
            var bound = listeners[i].IPEndPoint!.Port;
            api._environmentByPort[bound] = i;
            api._addresses[i] = $"127.0.0.1:{bound}";
        }

        return api;
    }

    /// <summary>The <c>host:port</c> to put in execution environment <paramref name="environment"/>'s <c>AWS_LAMBDA_RUNTIME_API</c>.</summary>
    public string AddressOf(int environment) => _addresses[environment];

    /// <summary>
    /// How a function host starts its execution environments, as Lambda does: <paramref name="start"/> is called
    /// with the first environment now, and with each of the others when an event finds every started one busy
    /// (it is subscribed to <see cref="EnvironmentWanted"/>; a stopping host unsubscribes it).
    /// </summary>
    public void StartEnvironmentsOnDemand(Action<int> start)
    {
        ArgumentNullException.ThrowIfNull(start);
        if (TryClaimEnvironment(out var first))
        {
            start(first);
        }

        EnvironmentWanted += start;
    }

    /// <summary>Takes the next execution environment not started yet, once; false when every environment is taken.</summary>
    private bool TryClaimEnvironment(out int environment)
    {
        environment = -1;
        if (Volatile.Read(ref _claimed) >= _environments.Length)
        {
            return false;
        }

        environment = Interlocked.Increment(ref _claimed) - 1;
        return environment < _environments.Length;
    }

    /// <summary>
    /// Queues an event and waits for the function's answer. The <paramref name="timeout"/> starts when an
    /// environment receives the event (<c>Lambda-Runtime-Deadline-Ms</c>), not while it waits for one.
    /// </summary>
    public async Task<InvocationResult> InvokeAsync(byte[] payload, TimeSpan timeout, string? traceId = null, CancellationToken cancellationToken = default)
    {
        var pending = new Pending(RandomBytes.NewGuid().ToString(), payload, timeout, traceId ?? NewTraceHeader(DateTimeOffset.UtcNow));
        await _queue.Writer.WriteAsync(pending, cancellationToken);
        if (Interlocked.Decrement(ref _waitingMinusQueued) < 0 && TryClaimEnvironment(out var environment))
        {
            // More events queued than environments waiting: every started environment is busy.
            EnvironmentWanted?.Invoke(environment);
        }

        try
        {
            return await pending.Answer.Task.WaitAsync(cancellationToken);
        }
        finally
        {
            pending.Dispose();
        }
    }

    /// <summary>
    /// An X-Ray trace header as Lambda sends it: <c>Root=1-{8 hex: epoch seconds}-{24 hex}</c>, <c>Parent={16 hex}</c>,
    /// <c>Sampled=0</c> (nothing is sent to X-Ray locally).
    /// </summary>
    public static string NewTraceHeader(DateTimeOffset now)
    {
        Span<byte> random = stackalloc byte[20];
        RandomBytes.Fill(random);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"Root=1-{now.ToUnixTimeSeconds():x8}-{Convert.ToHexStringLower(random[..12])};Parent={Convert.ToHexStringLower(random[12..])};Sampled=0");
    }

    /// <summary>Called by a host before it starts environment <paramref name="environment"/>'s runtime: a fresh environment that has not initialised yet.</summary>
    public void EnvironmentStarting(int environment)
    {
        _environments[environment].Initialized = false;
        _environments[environment].Recent = null;
    }

    /// <summary>
    /// The request id of the invocation that a <paramref name="line"/> of environment <paramref name="environment"/>'s
    /// output belongs to, as Lambda's log stream places output: between one event's hand-out and the next, whatever the
    /// runtime writes belongs to that event. A line read after the next hand-out that names the invocation before it
    /// (AWS's runtime interface clients write the request id into every line, Powertools into <c>function_request_id</c>)
    /// stays with that one. Null before the environment's first event: initialisation output belongs to no invocation.
    /// </summary>
    public string? InvocationOfOutput(int environment, string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (_environments[environment].Recent is not { } recent)
        {
            return null;
        }

        return recent.Previous is { } previous && line.Contains(previous, StringComparison.Ordinal) ? previous : recent.Current;
    }

    /// <summary>
    /// Called by a host when environment <paramref name="environment"/>'s runtime process ended with
    /// <paramref name="exitCode"/>. Its invocation in flight, if any, fails at once with <c>Runtime.ExitError</c>;
    /// a runtime that ended before asking for an event also fails the next queued event (its cold start failed).
    /// </summary>
    /// <returns>Whether the runtime had initialised (asked for an event) before it ended.</returns>
    public bool EnvironmentExited(int environment, int exitCode)
    {
        var state = _environments[environment];
        var message = $"Runtime exited with error: exit status {exitCode}";
        var failedAny = false;
        foreach (var pending in _inFlight.Values.Where(p => p.Environment == environment))
        {
            if (_inFlight.TryRemove(pending.RequestId, out _))
            {
                failedAny = true;
                Fail(pending, "Runtime.ExitError", $"RequestId: {pending.RequestId} Error: {message}");
            }
        }

        if (!state.Initialized && !failedAny && !state.InitErrorReported)
        {
            LogInitFailed(environment + 1, "Runtime.ExitError", message);
            FailNextQueued("Runtime.ExitError", message);
        }

        state.InitErrorReported = false;
        return state.Initialized;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private void MapRoutes()
    {
        _app.MapGet(RuntimeApiContract.NextInvocationPath, async (HttpContext http) =>
        {
            var environment = EnvironmentOf(http);
            _environments[environment].Initialized = true;
            Pending pending;
            Interlocked.Increment(ref _waitingMinusQueued);
            try
            {
                pending = await _queue.Reader.ReadAsync(http.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                Interlocked.Decrement(ref _waitingMinusQueued); // gone without an event
                throw;
            }

            pending.HandOut(environment, DateTimeOffset.UtcNow);
            _environments[environment].Recent = new(pending.RequestId, _environments[environment].Recent?.Current);
            _inFlight[pending.RequestId] = pending;
            pending.StartClock(() => TimeOut(pending));
            http.Response.Headers[RuntimeApiContract.RequestIdHeader] = pending.RequestId;
            http.Response.Headers[RuntimeApiContract.DeadlineHeader] = pending.Deadline.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
            http.Response.Headers[RuntimeApiContract.FunctionArnHeader] = FunctionArn;
            http.Response.Headers[RuntimeApiContract.TraceIdHeader] = pending.TraceId;
            http.Response.ContentType = "application/json";
            http.Response.ContentLength = pending.Payload.Length; // not chunked: a client can read the event into one array
            await http.Response.Body.WriteAsync(pending.Payload, http.RequestAborted);
        });
        _app.MapPost(RuntimeApiContract.InvocationResponseRoute, (string id, HttpContext http) => CompleteAsync(id, http, InvocationOutcome.Response));
        _app.MapPost(RuntimeApiContract.InvocationErrorRoute, (string id, HttpContext http) => CompleteAsync(id, http, InvocationOutcome.Error));
        _app.MapPost(RuntimeApiContract.InitErrorPath, async (HttpContext http) =>
        {
            var environment = EnvironmentOf(http);
            var body = await ReadBodyAsync(http);
            var (errorType, message) = Describe(http.Request.Headers[RuntimeApiContract.ErrorTypeHeader].ToString(), body);
            _environments[environment].InitErrorReported = true;
            LogInitFailed(environment + 1, errorType, message);
            _initError.TrySetResult((http.Request.Headers[RuntimeApiContract.ErrorTypeHeader].ToString(), body));
            FailNextQueued(errorType, message);
            return Results.Accepted(value: new { status = "OK" });
        });
    }

    private async Task<IResult> CompleteAsync(string id, HttpContext http, InvocationOutcome outcome)
    {
        if (!_inFlight.TryRemove(id, out var pending))
        {
            return _timedOut.TryGetValue(id, out var deadline)
                ? Results.Json(
                    new { errorMessage = $"Invocation {id} timed out at {deadline:O}: its result is refused and its execution environment was stopped", errorType = TimedOutErrorType },
                    statusCode: StatusCodes.Status410Gone)
                : Results.BadRequest(new { errorMessage = $"Invalid request ID: {id} is not an invocation in flight", errorType = "InvalidRequestID" });
        }

        using var body = new MemoryStream();
        await http.Request.Body.CopyToAsync(body, http.RequestAborted);
        if (outcome == InvocationOutcome.Error)
        {
            var (errorType, message) = Describe(http.Request.Headers[RuntimeApiContract.ErrorTypeHeader].ToString(), System.Text.Encoding.UTF8.GetString(body.ToArray()));
            Fail(pending, errorType, message, body.ToArray());
        }
        else
        {
            pending.Answer.TrySetResult(new(pending.RequestId, outcome, body.ToArray(), null, pending.Deadline, DateTimeOffset.UtcNow));
        }

        return Results.Accepted(value: new { status = "OK" });
    }

    private void Fail(Pending pending, string errorType, string message, byte[]? body = null)
    {
        LogInvocationError(pending.RequestId, errorType, message);
        pending.Answer.TrySetResult(new(pending.RequestId, InvocationOutcome.Error, body ?? [], errorType, pending.Deadline, DateTimeOffset.UtcNow) { ErrorMessage = message });
    }

    private void FailNextQueued(string errorType, string message)
    {
        if (_queue.Reader.TryRead(out var pending))
        {
            Interlocked.Increment(ref _waitingMinusQueued); // taken from the queue, not by an environment
            Fail(pending, errorType, message);
        }
    }

    private void TimeOut(Pending pending)
    {
        if (!_inFlight.TryRemove(pending.RequestId, out _))
        {
            return;
        }

        _timedOut[pending.RequestId] = pending.Deadline;
        LogTimedOut(pending.RequestId, pending.Timeout.TotalSeconds, pending.Environment + 1);
        pending.Answer.TrySetResult(new(pending.RequestId, InvocationOutcome.TimedOut, [], null, pending.Deadline, DateTimeOffset.UtcNow)
        {
            ErrorMessage = string.Create(CultureInfo.InvariantCulture, $"Task timed out after {pending.Timeout.TotalSeconds:0.00} seconds"),
        });
        EnvironmentTimedOut?.Invoke(pending.Environment);
    }

    private int EnvironmentOf(HttpContext http) => _environmentByPort.GetValueOrDefault(http.Connection.LocalPort);

    /// <summary>The error type (header, else the document's <c>errorType</c>) and <c>errorMessage</c> of an error post.</summary>
    private static (string ErrorType, string Message) Describe(string headerType, string body)
    {
        string? type = null;
        string? message = null;
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                type = document.RootElement.TryGetProperty("errorType", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
                message = document.RootElement.TryGetProperty("errorMessage", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            }
        }
        catch (JsonException)
        {
            message = body;
        }

        return (string.IsNullOrWhiteSpace(headerType) ? type ?? "Unhandled" : headerType, message ?? body);
    }

    private static async Task<string> ReadBodyAsync(HttpContext http)
    {
        using var reader = new StreamReader(http.Request.Body);
        return await reader.ReadToEndAsync(http.RequestAborted);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Invocation {requestId} failed: {errorType}: {errorMessage}")]
    private partial void LogInvocationError(string requestId, string errorType, string errorMessage);

    [LoggerMessage(Level = LogLevel.Error, Message = "Function failed to initialise in execution environment {environment}: {errorType}: {errorMessage}")]
    private partial void LogInitFailed(int environment, string errorType, string errorMessage);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Invocation {requestId} timed out after {timeoutSeconds} s: execution environment {environment} is stopped and the next event starts a fresh one")]
    private partial void LogTimedOut(string requestId, double timeoutSeconds, int environment);

    private sealed class ExecutionEnvironmentState
    {
        public volatile bool Initialized;
        public volatile bool InitErrorReported;
        public volatile RecentInvocations? Recent;
    }

    /// <summary>The last event handed to an environment and the one before it.</summary>
    private sealed record RecentInvocations(string Current, string? Previous);

    private sealed class Pending(string requestId, byte[] payload, TimeSpan timeout, string traceId) : IDisposable
    {
        private Timer? _clock;

        public string RequestId { get; } = requestId;

        public byte[] Payload { get; } = payload;

        public TimeSpan Timeout { get; } = timeout;

        public string TraceId { get; } = traceId;

        public int Environment { get; private set; } = -1;

        public DateTimeOffset Deadline { get; private set; }

        public TaskCompletionSource<InvocationResult> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>The runtime of <paramref name="environment"/> receives the event at <paramref name="now"/>: its deadline is now + timeout.</summary>
        public void HandOut(int environment, DateTimeOffset now)
        {
            Environment = environment;
            Deadline = now + Timeout;
        }

        /// <summary>Calls <paramref name="onDeadline"/> at the deadline unless <see cref="Dispose"/> comes first.</summary>
        public void StartClock(Action onDeadline) =>
            _clock = new Timer(_ => onDeadline(), null, Deadline - DateTimeOffset.UtcNow is { } left && left > TimeSpan.Zero ? left : TimeSpan.Zero, System.Threading.Timeout.InfiniteTimeSpan);

        public void Dispose() => _clock?.Dispose();
    }
}
