using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SocketRelay.LocalGateway.Hosting;

namespace SocketRelay.Bench;

/// <summary>A loopback <c>@connections</c> API that accepts every reply at once and counts them.</summary>
public sealed class ConnectionsStub : IAsyncDisposable
{
    private readonly WebApplication _app;
    private long _posts;

    private ConnectionsStub(WebApplication app) => _app = app;

    /// <summary>What the function gets as <c>WEBSOCKET_API_ENDPOINT</c>.</summary>
    public string Endpoint { get; private set; } = "";

    public long Posts => Interlocked.Read(ref _posts);

    public static async Task<ConnectionsStub> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var stub = new ConnectionsStub(builder.Build());
        stub._app.MapPost("/@connections/{id}", async (HttpContext http) =>
        {
            await http.Request.Body.CopyToAsync(Stream.Null, http.RequestAborted);
            Interlocked.Increment(ref stub._posts);
            return Results.Ok();
        });
        await stub._app.StartAsync();
        stub.Endpoint = stub._app.BoundAddress().ToString().TrimEnd('/');
        return stub;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
