using System.Net;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SocketRelay.LocalGateway.ApiGateway;
using SocketRelay.TestSupport;

namespace SocketRelay.LocalGateway.Tests.ApiGateway;

/// <summary>The emulated API Gateway on real Kestrel at 127.0.0.1 (a free port), with a recording sink.</summary>
internal sealed class GatewayHarness : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<ClientWebSocket> _clients = [];
    private readonly HashSet<string> _knownIds = [];

    private GatewayHarness(WebApplication app, Uri httpBase, RecordingSink sink, RecordingLoggerProvider logs)
    {
        _app = app;
        Sink = sink;
        Logs = logs;
        Http = new HttpClient { BaseAddress = httpBase, Timeout = TimeSpan.FromSeconds(8) };
        WebSocketUri = new UriBuilder(httpBase) { Scheme = "ws" }.Uri;
    }

    public RecordingSink Sink { get; }

    public RecordingLoggerProvider Logs { get; }

    public HttpClient Http { get; }

    public Uri WebSocketUri { get; }

    public ConnectionRegistry Registry => _app.Services.GetRequiredService<ConnectionRegistry>();

    public static async Task<GatewayHarness> StartAsync(
        Action<ApiGatewayOptions>? configure = null, TimeProvider? time = null, Func<string>? idSource = null)
    {
        var sink = new RecordingSink();
        var logs = new RecordingLoggerProvider();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Debug);
        builder.Services.AddSingleton<IInboundMessageSink>(sink);
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        if (idSource is not null)
        {
            builder.Services.AddSingleton<IGatewayIdGenerator>(new DelegatingIdGenerator(idSource));
        }

        builder.Services.AddApiGateway(configure);
        var app = builder.Build();
        app.UseApiGateway();
        await app.StartAsync();
        return new GatewayHarness(app, new Uri(app.Urls.First()), sink, logs);
    }

    public async Task<TestClient> ConnectAsync(string? userAgent = null)
    {
        var socket = new ClientWebSocket();
        if (userAgent is not null)
        {
            socket.Options.SetRequestHeader("User-Agent", userAgent);
        }

        _clients.Add(socket);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await socket.ConnectAsync(WebSocketUri, timeout.Token);
        var registered = await Eventually.ValueAsync(() => Registry.Connections.Select(c => c.Id.Value).Except(_knownIds).SingleOrDefault());
        _knownIds.Add(registered);
        return new TestClient(socket, registered);
    }

    public Task<HttpResponseMessage> PostAsync(string connectionId, byte[] body, string prefix = "") =>
        Http.PostAsync(new Uri($"{prefix}/@connections/{Uri.EscapeDataString(connectionId)}", UriKind.Relative), new ByteArrayContent(body));

    public Task<HttpResponseMessage> GetAsync(string connectionId, string prefix = "") =>
        Http.GetAsync(new Uri($"{prefix}/@connections/{Uri.EscapeDataString(connectionId)}", UriKind.Relative));

    public Task<HttpResponseMessage> DeleteAsync(string connectionId, string prefix = "") =>
        Http.DeleteAsync(new Uri($"{prefix}/@connections/{Uri.EscapeDataString(connectionId)}", UriKind.Relative));

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Abort();
            client.Dispose();
        }

        Http.Dispose();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }

    private sealed class DelegatingIdGenerator(Func<string> source) : IGatewayIdGenerator
    {
        public string NewId() => source();
    }
}
