using System.Net.WebSockets;
using System.Text.Unicode;
using Microsoft.Extensions.Logging;
using SocketRelay.Domain.Identifiers;

namespace SocketRelay.LocalGateway.ApiGateway;

/// <summary>
/// One live WebSocket connection: what the registry knows about it, its one-at-a-time outbound
/// sends, its idle and maximum-duration deadlines, and closing it.
/// </summary>
/// <remarks>
/// A WebSocket allows one send at a time, so every outbound frame (replies, error frames, close
/// frames) waits its turn here. The wait and the send together are bounded by
/// <see cref="ApiGatewayOptions.SendTimeout"/>: a client that stops reading costs other clients
/// nothing and is dropped once a send to it times out.
/// </remarks>
internal sealed class GatewayConnection : IDisposable
{
    private readonly WebSocket _socket;
    private readonly ConnectionRegistry _registry;
    private readonly ApiGatewayOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly ITimer _deadlineTimer;
    private ITimer? _closeHandshakeTimer;
    private long _lastActiveTicks;
    private int _closing;

    public GatewayConnection(
        ConnectionId id, WebSocket socket, ConnectionIdentity identity, ConnectionRegistry registry,
        ApiGatewayOptions options, TimeProvider time, ILogger logger)
    {
        Id = id;
        Identity = identity;
        _socket = socket;
        _registry = registry;
        _options = options;
        _time = time;
        _logger = logger;
        ConnectedAt = time.GetUtcNow();
        _lastActiveTicks = ConnectedAt.UtcTicks;
        var firstCheck = options.IdleTimeout < options.MaxConnectionDuration ? options.IdleTimeout : options.MaxConnectionDuration;
        _deadlineTimer = time.CreateTimer(static state => ((GatewayConnection)state!).CheckDeadlines(), this, firstCheck, Timeout.InfiniteTimeSpan);
    }

    public ConnectionId Id { get; }

    public ConnectionIdentity Identity { get; }

    public DateTimeOffset ConnectedAt { get; }

    public DateTimeOffset LastActiveAt => new(Interlocked.Read(ref _lastActiveTicks), TimeSpan.Zero);

    /// <summary>True once a close has begun; nothing more is accepted from or sent to the client.</summary>
    public bool IsClosing => Volatile.Read(ref _closing) != 0;

    public ConnectionSnapshot ToSnapshot() => new(Id, ConnectedAt, LastActiveAt, Identity.SourceIp, Identity.UserAgent);

    public void MarkActive() => Interlocked.Exchange(ref _lastActiveTicks, _time.GetUtcNow().UtcTicks);

    /// <summary>Sends one text frame (<paramref name="payload"/> is UTF-8); false when the connection is closing or has just been found gone.</summary>
    public Task<bool> SendTextAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken) =>
        SendAsync(payload, WebSocketMessageType.Text, cancellationToken);

    /// <summary>
    /// Sends data posted to <c>@connections</c> as one frame: a text frame when it is valid UTF-8, as every JSON
    /// reply is, and otherwise a binary frame, because a text frame must carry UTF-8 (RFC 6455, section 8.1) and a
    /// client closes the connection on one that does not (1007). AWS does not document which frame its
    /// <c>@connections</c> API sends for data that is not UTF-8. False when the connection is closing or gone.
    /// </summary>
    public Task<bool> SendDataAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken) =>
        SendAsync(payload, Utf8.IsValid(payload.Span) ? WebSocketMessageType.Text : WebSocketMessageType.Binary, cancellationToken);

    private async Task<bool> SendAsync(ReadOnlyMemory<byte> payload, WebSocketMessageType type, CancellationToken cancellationToken)
    {
        if (IsClosing)
        {
            return false;
        }

        return await SendExclusiveAsync(
            (socket, token) => socket.SendAsync(payload, type, endOfMessage: true, token),
            cancellationToken);
    }

    /// <summary>
    /// Starts closing: the connection leaves the registry at once, a close frame is sent, and the
    /// socket is dropped if the client has not answered within the close handshake timeout.
    /// </summary>
    public async Task CloseAsync(WebSocketCloseStatus status, string description)
    {
        if (Interlocked.Exchange(ref _closing, 1) != 0)
        {
            return;
        }

        _registry.Remove(this);
        _closeHandshakeTimer = _time.CreateTimer(static state => ((WebSocket)state!).Abort(), _socket, _options.CloseHandshakeTimeout, Timeout.InfiniteTimeSpan);
        if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            await SendExclusiveAsync(
                (socket, token) => new ValueTask(socket.CloseOutputAsync(status, description, token)),
                CancellationToken.None);
        }
    }

    public void Dispose()
    {
        Interlocked.Exchange(ref _closing, 1);
        _registry.Remove(this);
        _deadlineTimer.Dispose();
        _closeHandshakeTimer?.Dispose();
        // The send lock is not disposed: a send that is still timing out may release it later.
    }

    private async Task<bool> SendExclusiveAsync(Func<WebSocket, CancellationToken, ValueTask> send, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_options.SendTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        try
        {
            await _sendLock.WaitAsync(linked.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            Drop("an earlier send to it did not finish in time");
            return false;
        }

        try
        {
            await send(_socket, linked.Token);
            return true;
        }
        catch (Exception exception) when (exception is OperationCanceledException or WebSocketException or ObjectDisposedException or InvalidOperationException)
        {
            // A cancelled or failed send leaves the WebSocket unusable (it aborts itself).
            Drop(timeout.IsCancellationRequested ? "a send to it did not finish in time" : exception.Message);
            return false;
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private void Drop(string reason)
    {
        if (Interlocked.Exchange(ref _closing, 1) == 0)
        {
            ApiGatewayLog.ConnectionDropped(_logger, Id.Value, reason);
        }

        _registry.Remove(this);
        _socket.Abort();
    }

    private void CheckDeadlines()
    {
        if (IsClosing)
        {
            return;
        }

        var now = _time.GetUtcNow();
        var endOfLife = ConnectedAt + _options.MaxConnectionDuration;
        var idleSince = LastActiveAt + _options.IdleTimeout;
        if (now >= endOfLife || now >= idleSince)
        {
            var reason = now >= endOfLife ? "maximum connection duration reached" : "idle timeout";
            ApiGatewayLog.ClosingConnection(_logger, Id.Value, reason);
            _ = CloseAsync(WebSocketCloseStatus.EndpointUnavailable, "Going away");
            return;
        }

        var next = (endOfLife < idleSince ? endOfLife : idleSince) - now;
        try
        {
            _deadlineTimer.Change(next, Timeout.InfiniteTimeSpan);
        }
        catch (ObjectDisposedException)
        {
            // The connection ended while this check ran.
        }
    }
}

/// <summary>Who is on the other end, as API Gateway reports it in <c>identity</c>.</summary>
public sealed record ConnectionIdentity(string SourceIp, string UserAgent);
