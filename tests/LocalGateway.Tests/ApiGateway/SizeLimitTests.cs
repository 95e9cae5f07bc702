using System.Net.WebSockets;
using System.Text;

namespace SocketRelay.LocalGateway.Tests.ApiGateway;

public sealed class SizeLimitTests : IAsyncLifetime
{
    private const int FrameLimit = 32 * 1024;
    private const int MessageLimit = 128 * 1024;
    private GatewayHarness _gateway = null!;

    public async Task InitializeAsync() => _gateway = await GatewayHarness.StartAsync();

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task A_frame_over_32_KB_closes_the_connection_with_1009()
    {
        var client = await _gateway.ConnectAsync();

        await client.SendFrameAsync(JsonMessageOfSize(FrameLimit + 1), WebSocketMessageType.Text, endOfMessage: true);

        Assert.Equal(WebSocketCloseStatus.MessageTooBig, await client.ReceiveCloseAsync());
        Assert.Empty(_gateway.Sink.Messages);
    }

    [Fact]
    public async Task A_frame_of_exactly_32_KB_is_accepted()
    {
        var client = await _gateway.ConnectAsync();

        await client.SendFrameAsync(JsonMessageOfSize(FrameLimit), WebSocketMessageType.Text, endOfMessage: true);

        Assert.Equal(FrameLimit, (await _gateway.Sink.WaitForLastAsync(1)).Body.Length);
    }

    [Fact]
    public async Task A_message_over_128_KB_in_32_KB_fragments_closes_the_connection_with_1009()
    {
        var client = await _gateway.ConnectAsync();

        var sending = Record.ExceptionAsync(() => client.SendFragmentedAsync(JsonMessageOfSize(MessageLimit + 1), FrameLimit));

        Assert.Equal(WebSocketCloseStatus.MessageTooBig, await client.ReceiveCloseAsync());
        await sending;
        Assert.Empty(_gateway.Sink.Messages);
    }

    [Fact]
    public async Task A_message_of_exactly_128_KB_in_four_fragments_is_accepted()
    {
        var client = await _gateway.ConnectAsync();

        await client.SendFragmentedAsync(JsonMessageOfSize(MessageLimit), FrameLimit);

        Assert.Equal(MessageLimit, (await _gateway.Sink.WaitForLastAsync(1)).Body.Length);
    }

    [Fact]
    public async Task A_120_KB_message_in_four_fragments_is_accepted_whole()
    {
        var client = await _gateway.ConnectAsync();
        var message = JsonMessageOfSize(120 * 1024);

        await client.SendFragmentedAsync(message, message.Length / 4);

        Assert.Equal(Encoding.UTF8.GetString(message), (await _gateway.Sink.WaitForLastAsync(1)).Body);
    }

    /// <summary>A compact JSON object of exactly <paramref name="size"/> bytes.</summary>
    private static byte[] JsonMessageOfSize(int size)
    {
        const string prefix = "{\"data\":\"";
        const string suffix = "\"}";
        return Encoding.UTF8.GetBytes(prefix + new string('x', size - prefix.Length - suffix.Length) + suffix);
    }
}
