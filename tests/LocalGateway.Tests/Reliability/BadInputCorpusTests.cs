using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using SocketRelay.LocalGateway.Tests.Gateway;

namespace SocketRelay.LocalGateway.Tests.Reliability;

/// <summary>What the README documents for an inbound message.</summary>
public enum Documented
{
    /// <summary><c>{"message":"Invalid request body",…}</c>; the connection stays open.</summary>
    ErrorFrame,

    /// <summary>Accepted and echoed back unchanged (the input is already compact).</summary>
    Echo,

    /// <summary>Close 1007: a text frame that is not UTF-8.</summary>
    Close1007,
}

/// <summary>
/// Hostile and malformed input against the whole pipeline: each case gets the documented answer,
/// and afterwards the gateway still answers another client. Complements ApiGateway/InvalidInputTests
/// and SizeLimitTests, which cover the emulated API alone.
/// </summary>
public sealed class BadInputCorpusTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    public static TheoryData<string, byte[], Documented> Corpus => new()
    {
        { "empty text message", [], Documented.ErrorFrame },
        { "whitespace only", "  \n\t "u8.ToArray(), Documented.ErrorFrame },
        { "byte order mark before the object", [0xEF, 0xBB, 0xBF, .. "{}"u8], Documented.ErrorFrame },
        { "trailing garbage", """{"a":1} x"""u8.ToArray(), Documented.ErrorFrame },
        { "two objects", "{}{}"u8.ToArray(), Documented.ErrorFrame },
        { "trailing comma", """{"a":1,}"""u8.ToArray(), Documented.ErrorFrame },
        { "single quotes", "{'a':1}"u8.ToArray(), Documented.ErrorFrame },
        { "comment", """{/*c*/"a":1}"""u8.ToArray(), Documented.ErrorFrame },
        { "NaN", """{"a":NaN}"""u8.ToArray(), Documented.ErrorFrame },
        { "Infinity", """{"a":Infinity}"""u8.ToArray(), Documented.ErrorFrame },
        { "only an opening brace", "{"u8.ToArray(), Documented.ErrorFrame },
        { "property without a value", """{"a":"""u8.ToArray(), Documented.ErrorFrame },
        { "mismatched brackets", """{"a":[1,2}"""u8.ToArray(), Documented.ErrorFrame },
        { "raw control character in a string", """{"a":"x"""u8.ToArray().Concat(new byte[] { 0x01 }).Concat("""y"}"""u8.ToArray()).ToArray(), Documented.ErrorFrame },
        { "invalid escape", """{"a":"\x"}"""u8.ToArray(), Documented.ErrorFrame },
        { "null root", "null"u8.ToArray(), Documented.ErrorFrame },
        { "true root", "true"u8.ToArray(), Documented.ErrorFrame },
        { "MessageGroupId object", """{"MessageGroupId":{}}"""u8.ToArray(), Documented.ErrorFrame },
        { "MessageGroupId array", """{"MessageGroupId":["a"]}"""u8.ToArray(), Documented.ErrorFrame },
        { "MessageGroupId boolean", """{"MessageGroupId":true}"""u8.ToArray(), Documented.ErrorFrame },
        { "MessageGroupId with a tab", """{"MessageGroupId":"a\tb"}"""u8.ToArray(), Documented.ErrorFrame },
        { "MessageGroupId with a newline", """{"MessageGroupId":"a\nb"}"""u8.ToArray(), Documented.ErrorFrame },
        { "MessageGroupId with DEL", """{"MessageGroupId":"a\u007fb"}"""u8.ToArray(), Documented.ErrorFrame },
        { "MessageGroupId with a lone surrogate", """{"MessageGroupId":"\ud800"}"""u8.ToArray(), Documented.ErrorFrame },
        { "MessageGroupId with an emoji", """{"MessageGroupId":"😀"}"""u8.ToArray(), Documented.ErrorFrame },
        { "MessageGroupId with a NUL escape", """{"MessageGroupId":"a\u0000"}"""u8.ToArray(), Documented.ErrorFrame },
        { "nesting 1000 deep", Encoding.ASCII.GetBytes("{\"a\":" + new string('[', 999) + new string(']', 999) + "}"), Documented.ErrorFrame },
        { "empty object", "{}"u8.ToArray(), Documented.Echo },
        { "MessageGroupId of exactly 128 characters", Encoding.ASCII.GetBytes($$"""{"MessageGroupId":"{{new string('!', 64)}}{{new string('~', 64)}}"}"""), Documented.Echo },
        { "huge number kept verbatim", """{"n":1e999999,"m":-0.0000000000000000000001}"""u8.ToArray(), Documented.Echo },
        { "lone surrogate in data", """{"d":"\ud800"}"""u8.ToArray(), Documented.Echo },
        { "duplicate ordinary property", """{"a":1,"a":2}"""u8.ToArray(), Documented.Echo },
        { "script and markup in data", """{"d":"<script>alert(1)</script>&amp;"}"""u8.ToArray(), Documented.Echo },
        { "120 KB array in one message", Encoding.ASCII.GetBytes("{\"a\":[" + string.Join(',', Enumerable.Repeat("1", 60 * 1024)) + "]}"), Documented.Echo },
        { "invalid UTF-8 text", [.. "{\"d\":\""u8, 0xFF, .. "\"}"u8], Documented.Close1007 },
        { "overlong UTF-8 encoding", [.. "{\"d\":\""u8, 0xC0, 0xAF, .. "\"}"u8], Documented.Close1007 },
    };

    [Theory]
    [MemberData(nameof(Corpus))]
    public async Task Each_bad_input_gets_its_documented_answer_and_the_gateway_keeps_serving(string kind, byte[] message, Documented expected)
    {
        using var client = await fixture.ConnectAsync();

        await SendFragmentedAsync(client, message, fragmentBytes: 16 * 1024);

        switch (expected)
        {
            case Documented.ErrorFrame:
                using (var frame = JsonDocument.Parse(await client.ReceiveTextAsync()))
                {
                    Assert.Equal("Invalid request body", frame.RootElement.GetProperty("message").GetString());
                }

                await AssertEchoedAsync(client, """{"after":"error frame"}""");
                break;
            case Documented.Echo:
                Assert.Equal(Encoding.UTF8.GetString(message), Reply(await client.ReceiveTextAsync()));
                break;
            default:
                var ending = await Record.ExceptionAsync(async () => Assert.Equal(WebSocketCloseStatus.InvalidPayloadData, await ReceiveCloseAsync(client)));
                Assert.True(ending is null or WebSocketException, $"{kind}: {ending}");
                break;
        }

        using var other = await fixture.ConnectAsync();
        await AssertEchoedAsync(other, $$"""{"after":"{{kind}}"}""");
    }

    internal static string Reply(string frame) =>
        JsonDocument.Parse(frame).RootElement.GetProperty("message").GetString()!;

    internal static async Task AssertEchoedAsync(WebSocket socket, string body)
    {
        await socket.SendTextAsync(body);
        Assert.Equal(body, Reply(await socket.ReceiveTextAsync()));
    }

    internal static async Task SendFragmentedAsync(WebSocket socket, byte[] message, int fragmentBytes)
    {
        var offset = 0;
        do
        {
            var length = Math.Min(fragmentBytes, message.Length - offset);
            await socket.SendAsync(message.AsMemory(offset, length), WebSocketMessageType.Text, offset + length == message.Length, CancellationToken.None);
            offset += length;
        }
        while (offset < message.Length);
    }

    private static async Task<WebSocketCloseStatus?> ReceiveCloseAsync(WebSocket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var buffer = new byte[1024];
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return result.CloseStatus;
            }
        }
    }
}
