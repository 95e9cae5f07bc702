namespace SocketRelay.LocalGateway.Tests.Queue;

public sealed class OrderingTests : IDisposable
{
    private readonly QueueHarness _harness = new();

    [Fact]
    public async Task Messages_of_a_group_are_received_in_the_order_they_were_sent()
    {
        foreach (var body in new[] { "1", "2", "3", "4", "5" })
        {
            await _harness.SendAsync(body);
        }

        var received = await _harness.ReceiveAsync(maxMessages: 10);

        Assert.Equal(["1", "2", "3", "4", "5"], received.Select(m => m.Body));
        Assert.Equal(received.Select(m => long.Parse(m.SequenceNumber, System.Globalization.CultureInfo.InvariantCulture)).Order(),
            received.Select(m => long.Parse(m.SequenceNumber, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task A_group_with_a_message_in_flight_delivers_nothing_more_until_that_message_is_deleted()
    {
        await _harness.SendAsync("first");
        await _harness.SendAsync("second");

        var first = Assert.Single(await _harness.ReceiveAsync(maxMessages: 1));
        Assert.Empty(await _harness.ReceiveAsync());

        Assert.True(await _harness.DeleteAsync(first));
        var second = Assert.Single(await _harness.ReceiveAsync());
        Assert.Equal("first", first.Body);
        Assert.Equal("second", second.Body);
    }

    [Fact]
    public async Task One_receive_returns_messages_of_several_groups_each_in_order()
    {
        await _harness.SendAsync("a1", group: "a");
        await _harness.SendAsync("b1", group: "b");
        await _harness.SendAsync("a2", group: "a");
        await _harness.SendAsync("b2", group: "b");

        var received = await _harness.ReceiveAsync(maxMessages: 10);

        Assert.Equal(["a1", "a2"], received.Where(m => m.MessageGroupId == "a").Select(m => m.Body));
        Assert.Equal(["b1", "b2"], received.Where(m => m.MessageGroupId == "b").Select(m => m.Body));
    }

    [Fact]
    public async Task A_locked_group_does_not_hold_back_other_groups()
    {
        await _harness.SendAsync("a1", group: "a");
        await _harness.SendAsync("a2", group: "a");
        await _harness.SendAsync("b1", group: "b");

        Assert.Equal("a1", Assert.Single(await _harness.ReceiveAsync(maxMessages: 1)).Body);
        var next = await _harness.ReceiveAsync(maxMessages: 10);

        Assert.Equal("b1", Assert.Single(next).Body);
    }

    [Fact]
    public async Task A_receive_returns_at_most_max_messages_and_the_rest_of_the_group_waits_for_them()
    {
        for (var i = 1; i <= 12; i++)
        {
            await _harness.SendAsync($"m{i}");
        }

        var batch = await _harness.ReceiveAsync(maxMessages: 10);
        Assert.Equal(10, batch.Count);
        Assert.Empty(await _harness.ReceiveAsync());

        foreach (var message in batch)
        {
            await _harness.DeleteAsync(message);
        }

        Assert.Equal(["m11", "m12"], (await _harness.ReceiveAsync()).Select(m => m.Body));
    }

    public void Dispose() => _harness.Dispose();
}
