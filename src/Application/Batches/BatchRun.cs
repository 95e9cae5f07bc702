using SocketRelay.Domain.Identifiers;
using SocketRelay.Domain.Messages;

namespace SocketRelay.Application.Batches;

internal enum ItemState
{
    NotStarted,
    InFlight,
    Delivered,
    Gone,
    Unanswered,
    Failed,

    /// <summary>Can never succeed: reported failed, so redrive parks it in the DLQ, but its group goes on (ADR-008).</summary>
    Parked,
}

/// <summary>The state of every item of one batch, written by the group workers and read once at the end.</summary>
internal sealed class BatchRun(IReadOnlyList<BatchItem> items)
{
    private readonly int[] _states = new int[items.Count];

    public IReadOnlyList<BatchItem> Items { get; } = items;

    public void Set(int index, ItemState state) => Volatile.Write(ref _states[index], (int)state);

    /// <summary>Indices of the items of each group, in arrival order; groups in order of first appearance.</summary>
    public List<List<int>> SplitIntoGroups()
    {
        var byGroup = new Dictionary<MessageGroupId, List<int>>();
        var groups = new List<List<int>>();
        for (var i = 0; i < Items.Count; i++)
        {
            if (!byGroup.TryGetValue(Items[i].GroupId, out var group))
            {
                group = [];
                byGroup.Add(Items[i].GroupId, group);
                groups.Add(group);
            }

            group.Add(i);
        }

        return groups;
    }

    /// <summary>Everything not done at this instant, in flight included, is reported failed.</summary>
    public BatchResult Result()
    {
        var failed = new List<MessageId>();
        int delivered = 0, gone = 0, unanswered = 0, parked = 0;
        for (var i = 0; i < _states.Length; i++)
        {
            switch ((ItemState)Volatile.Read(ref _states[i]))
            {
                case ItemState.Delivered:
                    delivered++;
                    break;
                case ItemState.Gone:
                    gone++;
                    break;
                case ItemState.Unanswered:
                    unanswered++;
                    break;
                case ItemState.Parked:
                    parked++;
                    failed.Add(Items[i].MessageId);
                    break;
                default:
                    failed.Add(Items[i].MessageId);
                    break;
            }
        }

        return new BatchResult(failed, delivered, gone, unanswered, parked);
    }
}
