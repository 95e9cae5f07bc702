using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SocketRelay.Infrastructure.Tests.Connections;

/// <summary>What the fake <c>@connections</c> endpoint received, as it arrived on the wire.</summary>
public sealed record CapturedRequest(string Method, string RawTarget, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string Header(string name) => Headers.TryGetValue(name, out var value) ? value : throw new KeyNotFoundException($"no '{name}' header");
}

/// <summary>A real Kestrel server on 127.0.0.1 (random port) that records requests and answers as told.</summary>
public sealed class LoopbackConnectionsApi : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackConnectionsApi(WebApplication app) => _app = app;

    public ConcurrentQueue<CapturedRequest> Requests { get; } = new();

    /// <summary>How the next requests are answered; 200 with an empty body unless changed.</summary>
    public Func<HttpContext, Task> Respond { get; set; } = _ => Task.CompletedTask;

    public Uri BaseAddress { get; private set; } = null!;

    public static async Task<LoopbackConnectionsApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new LoopbackConnectionsApi(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        server.BaseAddress = new Uri(address);
        return server;
    }

    public static Func<HttpContext, Task> AnswerWith(int status, string body = "") => async context =>
    {
        context.Response.StatusCode = status;
        await context.Response.WriteAsync(body, context.RequestAborted);
    };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var rawTarget = context.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget;
        Requests.Enqueue(new CapturedRequest(context.Request.Method, rawTarget, headers, body.ToArray()));
        await Respond(context);
    }
}
