using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SocketRelay.TestSupport;

/// <summary>
/// One request as it reached the fake <c>@connections</c> endpoint: method, raw request target (path
/// and query, as sent), headers (case-insensitive names) and body bytes.
/// </summary>
public sealed record ConnectionsRequest(string Method, string RawTarget, string? ConnectionId, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    /// <summary>The body as UTF-8 text.</summary>
    public string BodyText => Encoding.UTF8.GetString(Body);

    /// <summary>The value of header <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">The request had no such header.</exception>
    public string Header(string name) => Headers.TryGetValue(name, out var value) ? value : throw new KeyNotFoundException($"no '{name}' header");
}

/// <summary>
/// An API Gateway management API (<c>POST /{stage}/@connections/{connectionId}</c>) on a real Kestrel
/// server at <c>127.0.0.1</c> and a free port. It records every request as it arrived, and answers
/// 200 with an empty body unless told otherwise: per connection (<see cref="Answer(string, int)"/>,
/// <see cref="Delay"/>) or for every request (<see cref="Respond"/>).
/// </summary>
public sealed class FakeConnectionsApi : IAsyncDisposable
{
    /// <summary>The stage <see cref="Endpoint"/> names; requests to any stage are answered alike.</summary>
    public const string Stage = "production";

    private const string ConnectionsSegment = "/@connections/";

    private readonly ConcurrentDictionary<string, Func<int>> _statusByConnection = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TimeSpan> _latencyByConnection = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<ConnectionsRequest> _requests = new();
    private readonly ConcurrentQueue<ConnectionsRequest> _delivered = new();
    private readonly WebApplication _app;

    private FakeConnectionsApi(WebApplication app) => _app = app;

    /// <summary>The server's root, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The management endpoint with <see cref="Stage"/>: what <c>WEBSOCKET_API_ENDPOINT</c> is set to.</summary>
    public Uri Endpoint => new(BaseAddress, Stage);

    /// <summary>Every request received, in arrival order, whatever it was answered (recorded before it is answered).</summary>
    public IReadOnlyList<ConnectionsRequest> Requests => [.. _requests];

    /// <summary>The requests answered with 200, in the order they were answered.</summary>
    public IReadOnlyList<ConnectionsRequest> Delivered => [.. _delivered];

    /// <summary>When set, answers every request instead of the per-connection rules.</summary>
    public Func<HttpContext, Task>? Respond { get; set; }

    /// <summary>Starts the server; it is listening when this returns.</summary>
    public static async Task<FakeConnectionsApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var api = new FakeConnectionsApi(builder.Build());
        api._app.Run(api.HandleAsync);
        await api._app.StartAsync();
        var address = api._app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        api.BaseAddress = new Uri(address.TrimEnd('/') + "/");
        return api;
    }

    /// <summary>A <see cref="Respond"/> that answers <paramref name="status"/> with <paramref name="body"/>.</summary>
    public static Func<HttpContext, Task> AnswerWith(int status, string body = "") => async context =>
    {
        context.Response.StatusCode = status;
        await context.Response.WriteAsync(body, context.RequestAborted);
    };

    /// <summary>Answers posts to <paramref name="connectionId"/> with <paramref name="status"/> from now on.</summary>
    public void Answer(string connectionId, int status) => _statusByConnection[connectionId] = () => status;

    /// <summary>Answers each post to <paramref name="connectionId"/> with what <paramref name="status"/> returns then.</summary>
    public void Answer(string connectionId, Func<int> status) => _statusByConnection[connectionId] = status;

    /// <summary>Waits <paramref name="latency"/> before answering a post to <paramref name="connectionId"/>.</summary>
    public void Delay(string connectionId, TimeSpan latency) => _latencyByConnection[connectionId] = latency;

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        var rawTarget = context.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget;
        var path = context.Request.Path.Value ?? "";
        var at = path.IndexOf(ConnectionsSegment, StringComparison.Ordinal);
        var connectionId = at < 0 ? null : path[(at + ConnectionsSegment.Length)..];
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var request = new ConnectionsRequest(context.Request.Method, rawTarget, connectionId, headers, body.ToArray());
        _requests.Enqueue(request);

        if (Respond is { } respond)
        {
            await respond(context);
        }
        else
        {
            if (connectionId is not null && _latencyByConnection.TryGetValue(connectionId, out var latency))
            {
                await Task.Delay(latency, context.RequestAborted);
            }

            context.Response.StatusCode = connectionId is not null && _statusByConnection.TryGetValue(connectionId, out var answer)
                ? answer()
                : StatusCodes.Status200OK;
        }

        if (context.Response.StatusCode == StatusCodes.Status200OK)
        {
            _delivered.Enqueue(request);
        }
    }
}
