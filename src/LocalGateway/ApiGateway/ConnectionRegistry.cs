using System.Collections.Concurrent;
using SocketRelay.Domain.Identifiers;

namespace SocketRelay.LocalGateway.ApiGateway;

/// <summary>
/// The live WebSocket connections by id. A connection is here from its upgrade until it starts
/// closing; the <c>@connections</c> API answers 410 Gone for anything not here.
/// </summary>
public sealed class ConnectionRegistry
{
    private readonly ConcurrentDictionary<ConnectionId, GatewayConnection> _connections = new();

    public int Count => _connections.Count;

    /// <summary>Raised once for each connection that leaves (it started closing, or it was dropped).</summary>
    public event Action<ConnectionId>? Removed;

    internal bool TryGet(ConnectionId id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out GatewayConnection? connection) =>
        _connections.TryGetValue(id, out connection);

    internal IReadOnlyCollection<GatewayConnection> Connections => [.. _connections.Values];

    internal void Add(GatewayConnection connection)
    {
        if (!_connections.TryAdd(connection.Id, connection))
        {
            throw new InvalidOperationException($"Connection id {connection.Id} is already in use.");
        }
    }

    internal void Remove(GatewayConnection connection)
    {
        if (_connections.TryRemove(new KeyValuePair<ConnectionId, GatewayConnection>(connection.Id, connection)))
        {
            Removed?.Invoke(connection.Id);
        }
    }
}

/// <summary>What the gateway knows about one live connection (the <c>GetConnection</c> answer).</summary>
public sealed record ConnectionSnapshot(
    ConnectionId ConnectionId, DateTimeOffset ConnectedAt, DateTimeOffset LastActiveAt, string SourceIp, string UserAgent);
