using SocketRelay.LocalGateway.Queue;

namespace SocketRelay.LocalGateway.Tests.Queue;

/// <summary>A group's queued sequence numbers in memory: the head, what a receive takes next, removals anywhere.</summary>
public sealed class MessageGroupTests
{
    [Fact]
    public void Removing_heads_past_the_compaction_point_keeps_the_order_and_what_comes_next()
    {
        var group = new MessageGroup("g");
        for (var sequence = 1L; sequence <= 300; sequence++)
        {
            group.Append(sequence * 10);
        }

        for (var sequence = 1L; sequence <= 200; sequence++)
        {
            Assert.True(group.Remove(sequence * 10));
        }

        Assert.Equal(2010, group.Head);
        Assert.Equal([2010L, 2020L, 2030L], Next(group, after: 0, count: 3));
        Assert.Equal([2510L, 2520L], Next(group, after: 2500, count: 2));
        Assert.Equal([2510L, 2520L], Next(group, after: 2505, count: 2));
        Assert.Empty(Next(group, after: 3000, count: 2));
    }

    [Fact]
    public void A_message_removed_from_the_middle_is_skipped_and_an_unknown_one_is_refused()
    {
        var group = new MessageGroup("g");
        foreach (var sequence in new long[] { 5, 7, 9, 11 })
        {
            group.Append(sequence);
        }

        Assert.True(group.Remove(9));
        Assert.False(group.Remove(9));
        Assert.False(group.Remove(6));

        Assert.Equal(5, group.Head);
        Assert.Equal([5L, 7L, 11L], Next(group, after: 0, count: 10));
        Assert.True(group.Remove(5) && group.Remove(7) && group.Remove(11));
        Assert.True(group.IsEmpty);
    }

    private static List<long> Next(MessageGroup group, long after, int count)
    {
        var into = new List<long>();
        group.AddAfter(after, count, into);
        return into;
    }
}
