using System.Net;
using System.Net.WebSockets;
using Amazon.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SocketRelay.Infrastructure.Connections;
using SocketRelay.LocalGateway.ApiGateway;
using SocketRelay.TestSupport;

namespace SocketRelay.LocalGateway.Tests.ApiGateway;

/// <summary>
/// The emulated API Gateway on real Kestrel at 127.0.0.1 (a free port), with a recording sink. Its
/// <c>@connections</c> helpers sign every request as the function does (<see cref="SigV4Signer"/>, the
/// gateway's default credentials and region) under the stage <c>local</c>.
/// </summary>
internal sealed class GatewayHarness : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<ClientWebSocket> _clients = [];
    private readonly HashSet<string> _knownIds = [];

    private GatewayHarness(WebApplication app, Uri httpBase, RecordingSink sink, RecordingLoggerProvider logs, TimeProvider clock)
    {
        _app = app;
        Clock = clock;
        Sink = sink;
        Logs = logs;
        Http = new HttpClient { BaseAddress = httpBase, Timeout = TimeSpan.FromSeconds(8) };
        WebSocketUri = new UriBuilder(httpBase) { Scheme = "ws" }.Uri;
    }

    public RecordingSink Sink { get; }

    /// <summary>The gateway's clock; requests are signed at its time, as a client in sync with AWS's clock signs.</summary>
    public TimeProvider Clock { get; }

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
        return new GatewayHarness(app, new Uri(app.Urls.First()), sink, logs, time ?? TimeProvider.System);
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

    /// <summary>The stage every <c>@connections</c> helper posts under unless told otherwise.</summary>
    public const string Stage = ApiGatewayOptions.DefaultStage;

    /// <summary>The management endpoint with its stage, as the function is given it.</summary>
    public Uri ConnectionsEndpoint => new(Http.BaseAddress!, "/" + Stage);

    public Task<HttpResponseMessage> PostAsync(string connectionId, byte[] body, string prefix = "/" + Stage) =>
        SendSignedAsync(HttpMethod.Post, connectionId, prefix, new ByteArrayContent(body));

    public Task<HttpResponseMessage> GetAsync(string connectionId, string prefix = "/" + Stage) =>
        SendSignedAsync(HttpMethod.Get, connectionId, prefix, content: null);

    public Task<HttpResponseMessage> DeleteAsync(string connectionId, string prefix = "/" + Stage) =>
        SendSignedAsync(HttpMethod.Delete, connectionId, prefix, content: null);

    /// <summary>A request to <c>{prefix}/@connections/{id}</c> signed with <paramref name="credentials"/> (default: the gateway's) and <paramref name="sessionToken"/>, if any, for <paramref name="region"/>.</summary>
    public async Task<HttpResponseMessage> SendSignedAsync(
        HttpMethod method, string connectionId, string prefix, HttpContent? content,
        ConnectionsApiCredentials? credentials = null, string region = "us-east-1", TimeProvider? clock = null, string? sessionToken = null)
    {
        var signing = credentials ?? ConnectionsApiCredentials.Default;
        using var request = new HttpRequestMessage(method, new Uri(Http.BaseAddress!, $"{prefix}/@connections/{Uri.EscapeDataString(connectionId)}")) { Content = content };
        var signer = new SigV4Signer(new StaticAwsCredentialsProvider(new ImmutableCredentials(signing.AccessKeyId, signing.SecretAccessKey, sessionToken)), clock ?? Clock);
        await signer.SignAsync(request, region, "execute-api", CancellationToken.None);
        return await Http.SendAsync(request);
    }

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
