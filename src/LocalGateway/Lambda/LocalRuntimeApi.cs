using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
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

/// <summary>The function's answer to one event, or <see cref="InvocationOutcome.TimedOut"/> when it gave none by the deadline.</summary>
public sealed record InvocationResult(string RequestId, InvocationOutcome Outcome, byte[] Payload, string? ErrorType, DateTimeOffset Deadline, DateTimeOffset AnsweredAt);

/// <summary>
/// The server side of the Lambda Runtime API on its own loopback port: hands each event to whichever
/// function loop asks for the next one (several loops may wait at once, as several Lambda execution
/// environments would) and completes the invoker's task with that loop's answer, or with
/// <see cref="InvocationOutcome.TimedOut"/> at the deadline.
/// </summary>
public sealed class LocalRuntimeApi : IAsyncDisposable
{
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>();
    private readonly ConcurrentDictionary<string, Pending> _inFlight = new();
    private readonly TaskCompletionSource<(string ErrorType, string Body)> _initError = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly WebApplication _app;
    private int _sequence;

    private LocalRuntimeApi(WebApplication app) => _app = app;

    /// <summary>The <c>host:port</c> to put in <c>AWS_LAMBDA_RUNTIME_API</c>.</summary>
    public string Address { get; private set; } = "";

    /// <summary>Sent as <c>Lambda-Runtime-Invoked-Function-Arn</c>; the gateway sets its <see cref="LocalIdentity.FunctionArn"/>.</summary>
    public string FunctionArn { get; set; } = LocalIdentity.Default.FunctionArn;

    /// <summary>Completes when a function process reports <c>init/error</c>.</summary>
    public Task<(string ErrorType, string Body)> InitError => _initError.Task;

    public static async Task<LocalRuntimeApi> StartAsync(int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel().UseUrls($"http://127.0.0.1:{port}");
        var api = new LocalRuntimeApi(builder.Build());
        api.MapRoutes();
        await api._app.StartAsync();
        var address = api._app.BoundAddress();
        api.Address = $"{address.Host}:{address.Port}";
        return api;
    }

    /// <summary>Queues an event and waits for the function's answer, or for the deadline.</summary>
    public async Task<InvocationResult> InvokeAsync(byte[] payload, TimeSpan timeout, string? traceId = null, CancellationToken cancellationToken = default)
    {
        var requestId = $"req-{Interlocked.Increment(ref _sequence):D6}-{Guid.NewGuid():N}";
        var pending = new Pending(requestId, payload, DateTimeOffset.UtcNow + timeout, traceId ?? $"Root=1-{Guid.NewGuid():N}");
        await _queue.Writer.WriteAsync(pending, cancellationToken);
        using var timer = new CancellationTokenSource(timeout);
        using var registration = timer.Token.Register(() => pending.Answer.TrySetResult(new(pending.RequestId, InvocationOutcome.TimedOut, [], null, pending.Deadline, DateTimeOffset.UtcNow)));
        return await pending.Answer.Task.WaitAsync(cancellationToken);
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
            var pending = await _queue.Reader.ReadAsync(http.RequestAborted);
            _inFlight[pending.RequestId] = pending;
            http.Response.Headers[RuntimeApiContract.RequestIdHeader] = pending.RequestId;
            http.Response.Headers[RuntimeApiContract.DeadlineHeader] = pending.Deadline.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
            http.Response.Headers[RuntimeApiContract.FunctionArnHeader] = FunctionArn;
            http.Response.Headers[RuntimeApiContract.TraceIdHeader] = pending.TraceId;
            http.Response.ContentType = "application/json";
            await http.Response.Body.WriteAsync(pending.Payload, http.RequestAborted);
        });
        _app.MapPost(RuntimeApiContract.InvocationResponseRoute, (string id, HttpContext http) => CompleteAsync(id, http, InvocationOutcome.Response));
        _app.MapPost(RuntimeApiContract.InvocationErrorRoute, (string id, HttpContext http) => CompleteAsync(id, http, InvocationOutcome.Error));
        _app.MapPost(RuntimeApiContract.InitErrorPath, async (HttpContext http) =>
        {
            _initError.TrySetResult((http.Request.Headers[RuntimeApiContract.ErrorTypeHeader].ToString(), await ReadBodyAsync(http)));
            return Results.Accepted();
        });
    }

    private async Task<IResult> CompleteAsync(string id, HttpContext http, InvocationOutcome outcome)
    {
        if (!_inFlight.TryRemove(id, out var pending))
        {
            return Results.BadRequest(new { errorMessage = $"unknown or already answered request id {id}" });
        }

        using var body = new MemoryStream();
        await http.Request.Body.CopyToAsync(body, http.RequestAborted);
        var errorType = outcome == InvocationOutcome.Error ? http.Request.Headers[RuntimeApiContract.ErrorTypeHeader].ToString() : null;
        pending.Answer.TrySetResult(new(pending.RequestId, outcome, body.ToArray(), errorType, pending.Deadline, DateTimeOffset.UtcNow));
        return Results.Accepted();
    }

    private static async Task<string> ReadBodyAsync(HttpContext http)
    {
        using var reader = new StreamReader(http.Request.Body);
        return await reader.ReadToEndAsync(http.RequestAborted);
    }

    private sealed record Pending(string RequestId, byte[] Payload, DateTimeOffset Deadline, string TraceId)
    {
        public TaskCompletionSource<InvocationResult> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
