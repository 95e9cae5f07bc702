using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using SocketRelay.TestSupport;

namespace SocketRelay.LocalGateway.Tests.ApiGateway;

public sealed class InvalidInputTests : IAsyncLifetime
{
    private GatewayHarness _gateway = null!;

    public static TheoryData<string, byte[]> InvalidTextMessages => new()
    {
        { "not JSON", Encoding.UTF8.GetBytes("hello") },
        { "JSON array", Encoding.UTF8.GetBytes("""[{"MessageGroupId":"test"}]""") },
        { "JSON string", Encoding.UTF8.GetBytes("\"text\"") },
        { "JSON number", Encoding.UTF8.GetBytes("42") },
        { "truncated JSON", Encoding.UTF8.GetBytes("""{"data":"hel""") },
        { "empty MessageGroupId", Encoding.UTF8.GetBytes("""{"MessageGroupId":""}""") },
        { "129-character MessageGroupId", Encoding.UTF8.GetBytes($$"""{"MessageGroupId":"{{new string('g', 129)}}"}""") },
        { "MessageGroupId with a space", Encoding.UTF8.GetBytes("""{"MessageGroupId":"a b"}""") },
        { "non-ASCII MessageGroupId", Encoding.UTF8.GetBytes("""{"MessageGroupId":"café"}""") },
        { "numeric MessageGroupId", Encoding.UTF8.GetBytes("""{"MessageGroupId":7}""") },
        { "null MessageGroupId", Encoding.UTF8.GetBytes("""{"MessageGroupId":null}""") },
        { "MessageGroupId twice", Encoding.UTF8.GetBytes("""{"MessageGroupId":"a","MessageGroupId":"b"}""") },
        { "nesting 65 deep", Encoding.UTF8.GetBytes("{\"a\":" + new string('[', 64) + new string(']', 64) + "}") },
    };

    public async Task InitializeAsync() => _gateway = await GatewayHarness.StartAsync();

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Theory]
    [MemberData(nameof(InvalidTextMessages))]
    public async Task Invalid_input_gets_the_error_frame_nothing_is_queued_and_the_next_message_is_accepted(string kind, byte[] message)
    {
        var client = await _gateway.ConnectAsync();

        await client.SendFrameAsync(message, WebSocketMessageType.Text, endOfMessage: true);

        await AssertInvalidRequestBodyFrameAsync(client, kind);
    }

    [Fact]
    public async Task A_binary_message_is_invalid_input()
    {
        var client = await _gateway.ConnectAsync();

        await client.SendFrameAsync(Encoding.UTF8.GetBytes("""{"data":"binary"}"""), WebSocketMessageType.Binary, endOfMessage: true);

        await AssertInvalidRequestBodyFrameAsync(client, "binary");
    }

    [Fact]
    public async Task A_text_frame_with_invalid_UTF8_fails_the_connection_as_RFC_6455_requires_and_nothing_is_queued()
    {
        var client = await _gateway.ConnectAsync();

        await client.SendFrameAsync([.. "{\"data\":\""u8, 0xC3, 0x28, .. "\"}"u8], WebSocketMessageType.Text, endOfMessage: true);

        // The server's WebSocket sends close 1007 and drops the TCP connection at once, so the
        // client sees either that close frame or a reset.
        var ending = await Record.ExceptionAsync(async () => Assert.Equal(WebSocketCloseStatus.InvalidPayloadData, await client.ReceiveCloseAsync()));
        Assert.True(ending is null or WebSocketException, $"unexpected: {ending}");
        await Eventually.TrueAsync(() => _gateway.Registry.Count == 0);
        Assert.Empty(_gateway.Sink.Messages);
    }

    [Fact]
    public async Task The_gateway_logs_the_precise_reason_at_Information_without_the_body()
    {
        var client = await _gateway.ConnectAsync();

        await client.SendTextAsync("""{"MessageGroupId":"a b","secret":"s3cr3t"}""");
        await client.ReceiveTextAsync();

        var rejection = Assert.Single(_gateway.Logs.Entries, entry => entry.Message.Contains("rejected", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Information, rejection.Level);
        Assert.Contains("MessageGroupId character at position 1 is not allowed", rejection.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_gateway.Logs.Entries, entry => entry.Level > LogLevel.Debug && entry.Message.Contains("s3cr3t", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Nesting_64_deep_is_accepted()
    {
        var client = await _gateway.ConnectAsync();

        await client.SendTextAsync("{\"a\":" + new string('[', 63) + new string(']', 63) + "}");

        await _gateway.Sink.WaitForAsync(1);
    }

    private async Task AssertInvalidRequestBodyFrameAsync(TestClient client, string kind)
    {
        using var frame = JsonDocument.Parse(await client.ReceiveTextAsync());
        Assert.Equal(["message", "connectionId", "requestId"], frame.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("Invalid request body", frame.RootElement.GetProperty("message").GetString());
        Assert.Equal(client.ConnectionId, frame.RootElement.GetProperty("connectionId").GetString());
        Assert.False(string.IsNullOrEmpty(frame.RootElement.GetProperty("requestId").GetString()));

        await client.SendTextAsync("""{"data":"valid"}""");
        var accepted = await _gateway.Sink.WaitForAsync(1);
        Assert.True(accepted.Count == 1, $"after {kind}: expected only the valid message to be queued");
        Assert.Equal("""{"data":"valid"}""", accepted[0].Body);
    }
}
