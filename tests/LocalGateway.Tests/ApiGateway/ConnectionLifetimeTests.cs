using System.Net.WebSockets;
using Microsoft.Extensions.Time.Testing;
using SocketRelay.TestSupport;

namespace SocketRelay.LocalGateway.Tests.ApiGateway;

public sealed class ConnectionLifetimeTests : IAsyncLifetime
{
    private static readonly TimeSpan Idle = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan MaxDuration = TimeSpan.FromMinutes(15);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private GatewayHarness _gateway = null!;

    public async Task InitializeAsync() => _gateway = await GatewayHarness.StartAsync(
        options =>
        {
            options.IdleTimeout = Idle;
            options.MaxConnectionDuration = MaxDuration;
        },
        _time);

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task A_connection_without_inbound_messages_for_the_idle_timeout_is_closed_with_1001()
    {
        var client = await _gateway.ConnectAsync();

        _time.Advance(Idle);

        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, await client.ReceiveCloseAsync());
        await Eventually.TrueAsync(() => _gateway.Registry.Count == 0);
    }

    [Fact]
    public async Task An_inbound_message_restarts_the_idle_timeout()
    {
        var client = await _gateway.ConnectAsync();

        _time.Advance(Idle - TimeSpan.FromMinutes(1));
        await client.SendTextAsync("""{"keep":"alive"}""");
        await _gateway.Sink.WaitForAsync(1);
        _time.Advance(TimeSpan.FromMinutes(2));

        Assert.Equal(1, _gateway.Registry.Count);
        using var response = await _gateway.PostAsync(client.ConnectionId, "open"u8.ToArray());
        Assert.Equal("open", await client.ReceiveTextAsync());
        Assert.Equal("2026-01-01T00:09:00.000Z", _gateway.Registry.Connections.Single().LastActiveAt.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_busy_connection_is_closed_with_1001_at_the_maximum_duration()
    {
        var client = await _gateway.ConnectAsync();

        for (var minute = 5; minute < 15; minute += 5)
        {
            _time.Advance(TimeSpan.FromMinutes(5));
            await client.SendTextAsync($$"""{"minute":{{minute}}}""");
            await _gateway.Sink.WaitForAsync(minute / 5);
        }

        Assert.Equal(1, _gateway.Registry.Count);
        _time.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, await client.ReceiveCloseAsync());
    }
}
