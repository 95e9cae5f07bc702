using System.Diagnostics;
using SocketRelay.TestSupport;

namespace SocketRelay.LocalGateway.Tests.Reliability;

/// <summary>
/// A message whose reply can never be delivered (docs/decisions/ADR-008-undeliverable-messages-are-parked.md):
/// it ends in the dead-letter queue after <c>maxReceiveCount</c> receives, and its group goes on.
/// </summary>
public sealed class PoisonMessageTests
{
    [Fact]
    public async Task A_message_whose_reply_is_over_128_KB_is_dead_lettered_and_later_messages_of_its_group_are_delivered()
    {
        await using var gateway = await ReliabilityGateway.StartWithQuickRedriveAsync();
        await using var sender = await LedgerClient.ConnectAsync(gateway.Host.WebSocketUrl, "poisoned");
        await using var bystander = await LedgerClient.ConnectAsync(gateway.Host.WebSocketUrl, "healthy");

        await sender.SendAsync(0);
        await sender.SendLargeAsync(OversizedReplyBody(seq: 1));
        await sender.SendAsync(2);
        await sender.SendAsync(3);
        var bystanderStarted = Stopwatch.StartNew();
        await bystander.SendAsync(0);

        await Eventually.TrueAsync(() => bystander.UniqueReplies == 1, TimeSpan.FromSeconds(10), "the reply to the other group");
        Assert.True(bystanderStarted.Elapsed < TimeSpan.FromSeconds(3.5), "another group waited for the poisoned one"); // the poisoned group is blocked for ≥ 2 receives × 2 s
        var drained = await gateway.Status.WaitUntilDrainedAsync(5, TimeSpan.FromSeconds(30));
        await Eventually.TrueAsync(() => sender.UniqueReplies == 3, TimeSpan.FromSeconds(5), "the replies to the poisoned group's other messages");

        Assert.Equal([0, 2, 3], sender.ReceivedSeqs);
        Assert.Equal((5, 4, 1), (drained.Accepted, drained.Completed, drained.DlqDepth));
        Assert.Contains("413", gateway.FunctionLogs.ToString(), StringComparison.Ordinal);
    }

    /// <summary>
    /// About 70 KB of <c>\"</c> pairs: accepted (under 128 KB), but the reply envelope escapes each
    /// pair again, so the reply is over 128 KB and <c>@connections</c> answers 413 every time.
    /// </summary>
    private static string OversizedReplyBody(int seq) =>
        $$"""{"MessageGroupId":"poisoned","seq":{{seq}},"quotes":"{{string.Concat(Enumerable.Repeat("\\\"", 35 * 1024))}}"}""";
}
