using System.Text.Json;
using SocketRelay.Infrastructure.Serialization;
using SocketRelay.TestSupport;

namespace SocketRelay.LocalGateway.Tests.Gateway;

/// <summary>WebSocket → SQLite FIFO queue → poller → in-process function → @connections → WebSocket, with real sockets.</summary>
public class GatewayEndToEndTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private static ReplyEnvelope Parse(string frame) => JsonSerializer.Deserialize(frame, SocketRelayJsonContext.Wire.ReplyEnvelope)!;

    [Fact]
    public async Task The_seed_transcript_works_exactly()
    {
        using var socket = await fixture.ConnectAsync();

        await socket.SendTextAsync("{\"MessageGroupId\": \"test\", \"data\": \"hello world\"}");
        var frame = await socket.ReceiveTextAsync();

        var reply = Parse(frame);
        Assert.Equal($"{{\"connectionId\":\"{reply.ConnectionId}\",\"requestId\":\"{reply.RequestId}\",\"message\":\"{{\\\"MessageGroupId\\\":\\\"test\\\",\\\"data\\\":\\\"hello world\\\"}}\"}}", frame);
        Assert.Matches("^[A-Za-z0-9+/=]{16,}$", reply.ConnectionId);
        Assert.Matches("^[A-Za-z0-9+/=]{16,}$", reply.RequestId);
        Assert.NotEqual(reply.ConnectionId, reply.RequestId);
    }

    [Fact]
    public async Task Thirty_connections_each_get_their_replies_in_the_order_they_sent_without_naming_a_group()
    {
        const int perConnection = 10;
        var clients = await Task.WhenAll(Enumerable.Range(0, 32).Select(async c =>
        {
            var socket = await fixture.ConnectAsync();
            for (var i = 0; i < perConnection; i++)
            {
                await socket.SendTextAsync($"{{\"client\":{c},\"seq\":{i}}}");
            }

            return (Client: c, Socket: socket);
        }));

        foreach (var (client, socket) in clients)
        {
            for (var i = 0; i < perConnection; i++)
            {
                Assert.Equal($"{{\"client\":{client},\"seq\":{i}}}", Parse(await socket.ReceiveTextAsync()).Message);
            }

            socket.Dispose();
        }
    }

    [Fact]
    public async Task Two_hundred_messages_in_one_group_come_back_in_order()
    {
        using var socket = await fixture.ConnectAsync();
        for (var i = 0; i < 200; i++)
        {
            await socket.SendTextAsync($"{{\"MessageGroupId\":\"big-group\",\"seq\":{i}}}");
        }

        for (var i = 0; i < 200; i++)
        {
            Assert.Equal($"{{\"MessageGroupId\":\"big-group\",\"seq\":{i}}}", Parse(await socket.ReceiveTextAsync()).Message);
        }
    }

    [Theory]
    [InlineData("{\"data\":\"& + % = \\\" \\\\ é 𝄞 %2B a=b&MessageGroupId=x\"}")]
    [InlineData("{\"MessageGroupId\":\"!\\\"#$%&'()*+,-./:;<=>?@[\\\\]^_`{|}~\",\"data\":\"punctuation group\"}")]
    [InlineData("{\"newline\":\"a\\nb\\tc\",\"emoji\":\"😀\",\"nested\":{\"list\":[1,2.50,true,null]}}")]
    public async Task Special_characters_come_back_byte_exact(string body)
    {
        using var socket = await fixture.ConnectAsync();

        await socket.SendTextAsync(body);

        Assert.Equal(body, Parse(await socket.ReceiveTextAsync()).Message);
    }

    [Fact]
    public async Task A_client_that_leaves_before_its_reply_is_counted_completed_and_does_not_block_its_group()
    {
        var before = await StatusAsync();
        using (var leaving = await fixture.ConnectAsync())
        {
            await leaving.SendTextAsync("{\"MessageGroupId\":\"shared\",\"who\":\"leaver\"}");
            await leaving.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
        }

        using var staying = await fixture.ConnectAsync();
        await staying.SendTextAsync("{\"MessageGroupId\":\"shared\",\"who\":\"stayer\"}");

        Assert.Equal("{\"MessageGroupId\":\"shared\",\"who\":\"stayer\"}", Parse(await staying.ReceiveTextAsync()).Message);
        var completedBefore = before.GetProperty("completed").GetInt64();
        await WaitForStatusAsync(status => status.Completed - completedBefore >= 2);
        Assert.Contains("is gone; message counted done", fixture.FunctionLogs.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_reports_numeric_counters_that_balance_once_the_queue_is_drained()
    {
        using var socket = await fixture.ConnectAsync();
        await socket.SendTextAsync("{\"data\":\"count me\"}");
        await socket.ReceiveTextAsync();

        var status = await StatusAsync();

        foreach (var key in new[] { "connections", "accepted", "completed", "queueDepth", "inFlight", "dlqDepth" })
        {
            Assert.Equal(JsonValueKind.Number, status.GetProperty(key).ValueKind);
        }

        Assert.True(status.GetProperty("connections").GetInt32() >= 1);
        var drained = await WaitForStatusAsync(c => c.IsDrained && c.Completed >= 1);
        Assert.True(drained.Accepted >= 1, $"the message sent was not counted: {drained}");
        Assert.Equal(drained.Accepted, drained.Completed + drained.DlqDepth);
    }

    /// <summary>A reply reaches its client just before the poller deletes its message, so counters catch up a moment later.</summary>
    private async Task<GatewayCounters> WaitForStatusAsync(Func<GatewayCounters, bool> condition)
    {
        using var status = new GatewayStatusProbe(fixture.Gateway.HttpUrl);
        return await status.WaitForAsync(condition, TimeSpan.FromSeconds(10));
    }

    private async Task<JsonElement> StatusAsync()
    {
        using var status = new GatewayStatusProbe(fixture.Gateway.HttpUrl);
        return await status.ReadJsonAsync();
    }
}
