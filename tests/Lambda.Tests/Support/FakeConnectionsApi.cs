using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SocketRelay.LocalGateway.Hosting;

namespace SocketRelay.Lambda.Tests.Support;

public sealed record ReceivedPost(string ConnectionId, string Body, IReadOnlyDictionary<string, string> Headers);

/// <summary>
/// An API Gateway <c>@connections</c> endpoint on a loopback port, answering 200 unless told
/// otherwise per connection, and recording every post it answered with 200.
/// </summary>
public sealed class FakeConnectionsApi : IAsyncDisposable
{
    public const string Stage = "production";

    private readonly ConcurrentDictionary<string, Func<int>> _statusByConnection = new();
    private readonly ConcurrentDictionary<string, TimeSpan> _latencyByConnection = new();
    private readonly ConcurrentQueue<ReceivedPost> _delivered = new();
    private readonly ConcurrentQueue<string> _attempts = new();
    private readonly WebApplication _app;

    private FakeConnectionsApi(WebApplication app) => _app = app;

    /// <summary>The management endpoint, stage included: what <c>WEBSOCKET_API_ENDPOINT</c> is set to.</summary>
    public Uri Endpoint { get; private set; } = null!;

    public IReadOnlyList<ReceivedPost> Delivered => [.. _delivered];

    /// <summary>Connection ids of every post received, whatever it was answered.</summary>
    public IReadOnlyList<string> Attempts => [.. _attempts];

    public static async Task<FakeConnectionsApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        var api = new FakeConnectionsApi(builder.Build());
        api._app.MapPost($"/{Stage}/@connections/{{id}}", api.HandleAsync);
        await api._app.StartAsync();
        var address = api._app.BoundAddress().ToString().TrimEnd('/');
        api.Endpoint = new Uri($"{address}/{Stage}");
        return api;
    }

    public void Answer(string connectionId, int status) => _statusByConnection[connectionId] = () => status;

    public void Answer(string connectionId, Func<int> status) => _statusByConnection[connectionId] = status;

    public void Delay(string connectionId, TimeSpan latency) => _latencyByConnection[connectionId] = latency;

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task<IResult> HandleAsync(string id, HttpContext http)
    {
        _attempts.Enqueue(id);
        if (_latencyByConnection.TryGetValue(id, out var latency))
        {
            await Task.Delay(latency, http.RequestAborted);
        }

        using var reader = new StreamReader(http.Request.Body);
        var body = await reader.ReadToEndAsync(http.RequestAborted);
        var status = _statusByConnection.TryGetValue(id, out var answer) ? answer() : StatusCodes.Status200OK;
        if (status == StatusCodes.Status200OK)
        {
            _delivered.Enqueue(new ReceivedPost(id, body, http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));
        }

        return Results.StatusCode(status);
    }
}
