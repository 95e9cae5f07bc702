using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using SocketRelay.LocalGateway.Tests.Gateway;
using SocketRelay.TestSupport;

namespace SocketRelay.LocalGateway.Tests.Reliability;

/// <summary>Clients that flood, stall or churn: the gateway answers them as documented and keeps serving everyone else.</summary>
public sealed class AbusiveClientTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task A_flood_of_a_thousand_tiny_messages_is_answered_in_order()
    {
        using var client = await fixture.ConnectAsync();

        for (var i = 0; i < 1000; i++)
        {
            await client.SendTextAsync($$"""{"i":{{i}}}""");
        }

        for (var i = 0; i < 1000; i++)
        {
            Assert.Equal($$"""{"i":{{i}}}""", BadInputCorpusTests.Reply(await client.ReceiveTextAsync()));
        }
    }

    [Fact]
    public async Task A_message_sent_as_two_thousand_one_byte_frames_is_reassembled_and_answered()
    {
        using var client = await fixture.ConnectAsync();
        var body = $$"""{"data":"{{new string('f', 1990)}}"}""";

        await BadInputCorpusTests.SendFragmentedAsync(client, Encoding.ASCII.GetBytes(body), fragmentBytes: 1);

        Assert.Equal(body, BadInputCorpusTests.Reply(await client.ReceiveTextAsync()));
    }

    [Fact]
    public async Task A_client_that_never_reads_does_not_hold_up_others_and_its_replies_end_as_gone()
    {
        using var status = new GatewayStatusProbe(fixture.Gateway.HttpUrl);
        using var stalled = await fixture.ConnectAsync();
        var large = Encoding.ASCII.GetBytes($$"""{"data":"{{new string('s', 100 * 1024)}}"}""");
        // 8 MB of replies: more than loopback socket buffers hold, so sends to it stall until the send timeout.
        for (var i = 0; i < 80; i++)
        {
            await BadInputCorpusTests.SendFragmentedAsync(stalled, large, fragmentBytes: 32 * 1024);
        }

        await Task.Delay(1000);
        using var other = await fixture.ConnectAsync();
        var started = Stopwatch.StartNew();
        await BadInputCorpusTests.AssertEchoedAsync(other, """{"data":"not held up"}""");
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(6), $"another client waited {started.Elapsed}"); // held up, it would wait out the 10 s send timeout

        var drained = await status.WaitForAsync(c => c.IsDrainedAndBalanced, TimeSpan.FromSeconds(45));
        Assert.Equal(0, drained.DlqDepth);
    }

    [Fact]
    public async Task Two_hundred_connections_opened_and_dropped_leave_no_trace_and_others_are_served()
    {
        using var status = new GatewayStatusProbe(fixture.Gateway.HttpUrl);
        using var steady = await fixture.ConnectAsync();
        var before = (await status.ReadAsync()).Connections;

        await Task.WhenAll(Enumerable.Range(0, 200).Select(async i =>
        {
            using var socket = await fixture.ConnectAsync();
            if (i % 2 == 0)
            {
                await socket.SendTextAsync($$"""{"churn":{{i}}}""");
            }

            if (i % 3 == 0)
            {
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
            }
            else
            {
                socket.Abort();
            }
        }));

        await BadInputCorpusTests.AssertEchoedAsync(steady, """{"data":"still served"}""");
        var settled = await status.WaitForAsync(c => c.Connections == before && c.IsDrainedAndBalanced, TimeSpan.FromSeconds(30));
        Assert.Equal(0, settled.DlqDepth);
    }
}
