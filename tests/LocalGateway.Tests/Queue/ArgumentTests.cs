using SocketRelay.LocalGateway.Queue;

namespace SocketRelay.LocalGateway.Tests.Queue;

public sealed class ArgumentTests : IDisposable
{
    private readonly QueueHarness _harness = new();

    [Theory]
    [InlineData("", "group", "id")]
    [InlineData("body", "", "id")]
    [InlineData("body", "group", "")]
    [InlineData("body", "group", "129 characters")]
    public async Task A_message_SQS_would_refuse_is_refused_and_nothing_is_stored(string body, string group, string deduplicationId)
    {
        var id = deduplicationId == "129 characters" ? new string('d', 129) : deduplicationId;

        await Assert.ThrowsAnyAsync<ArgumentException>(() => _harness.Queue.SendAsync(
            new OutgoingMessage(body, group, id, new Dictionary<string, string>()), CancellationToken.None));
        Assert.Equal(0, (await _harness.StatsAsync()).Accepted);
    }

    [Theory]
    [InlineData(0, 30, 0)]
    [InlineData(11, 30, 0)]
    [InlineData(10, -1, 0)]
    [InlineData(10, 43201, 0)]
    [InlineData(10, 30, 21)]
    public async Task A_receive_outside_the_SQS_limits_is_refused(int maxMessages, int visibilitySeconds, int waitSeconds)
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _harness.Queue.ReceiveAsync(
            maxMessages, TimeSpan.FromSeconds(visibilitySeconds), TimeSpan.FromSeconds(waitSeconds), CancellationToken.None));
    }

    public void Dispose() => _harness.Dispose();
}
