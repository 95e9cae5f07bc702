using System.Collections.Concurrent;
using CsCheck;

namespace SocketRelay.LocalGateway.Tests.Queue.Model;

/// <summary>
/// The SQLite queue against <see cref="SqsFifoModel"/>: random sequences of sends, receives,
/// deletes, batch deletes, clock moves (so visibility timeouts and the deduplication interval
/// expire, and unanswered messages are redriven) and restarts must give the answers and the state the model gives; concurrent receivers
/// and senders must give answers some sequential order of the same calls gives.
/// </summary>
public sealed class ModelBasedQueueTests : IDisposable
{
    private static readonly long[] VisibilityChoicesMs = [0, 10_000, 30_000];
    private static readonly long[] ClockStepsMs = [1_000, 9_999, 10_000, 29_999, 30_000, 60_000, 299_999, 300_000];

    private readonly ConcurrentBag<QueueUnderTest> _queues = [];

    [Fact]
    public void Sequences_of_operations_answer_as_the_model_of_SQS_FIFO_does()
    {
        Gen.Int[1, 3]
            .Select(maxReceiveCount => (Open(maxReceiveCount), new SqsFifoModel(maxReceiveCount, QueueUnderTest.Start.ToUnixTimeMilliseconds())))
            .SampleModelBased(
                [
                    Gen.Select(Gen.Int[0, 2], Gen.Int[0, 3]).Operation<QueueUnderTest, SqsFifoModel>(
                        t => $"Send(g{t.Item1}, d{t.Item2})",
                        (q, t) => q.Send($"g{t.Item1}", $"d{t.Item2}"),
                        (m, t) => m.Send($"g{t.Item1}", $"d{t.Item2}")),
                    Gen.Select(Gen.Int[1, 10], Gen.Int[0, VisibilityChoicesMs.Length - 1]).Operation<QueueUnderTest, SqsFifoModel>(
                        t => $"Receive({t.Item1}, {VisibilityChoicesMs[t.Item2]}ms)",
                        (q, t) => q.Receive(t.Item1, VisibilityChoicesMs[t.Item2]),
                        (m, t) => m.Receive(t.Item1, VisibilityChoicesMs[t.Item2])),
                    Gen.Int[0, 4].Operation<QueueUnderTest, SqsFifoModel>(
                        back => $"Delete(latest - {back})",
                        (q, back) => q.Delete(q.RecentHandle(back)),
                        (m, back) => m.Delete(m.RecentHandle(back))),
                    Gen.Int[0, 6].Array[1, 4].Operation<QueueUnderTest, SqsFifoModel>(
                        backs => $"DeleteBatch(latest - [{string.Join(", ", backs)}])",
                        (q, backs) => q.DeleteBatch([.. backs.Select(q.RecentHandle)]),
                        (m, backs) => m.DeleteBatch([.. backs.Select(m.RecentHandle)])),
                    Gen.Int[0, ClockStepsMs.Length - 1].Operation<QueueUnderTest, SqsFifoModel>(
                        i => $"Advance({ClockStepsMs[i]}ms)",
                        (q, i) => q.Advance(ClockStepsMs[i]),
                        (m, i) => m.Advance(ClockStepsMs[i])),
                    Gen.Operation<QueueUnderTest, SqsFifoModel>("Restart()", q => q.Restart(), m => m.Restart()),
                ],
                equal: SameObservations,
                iter: 100,
                threads: 2,
                printActual: q => q.ToString(),
                printModel: m => m.ToString());
    }

    /// <summary>
    /// Concurrent receivers and senders: whatever each call answered, some sequential order of the same
    /// calls answers the same on the model. Two receivers never both get messages of one group, no
    /// group is served out of order, and of two concurrent sends with one deduplication id in one group
    /// exactly one is new.
    /// </summary>
    [Fact]
    public void Concurrent_receivers_and_senders_answer_as_some_sequential_order_does()
    {
        Gen.Const(() => (Open(maxReceiveCount: 2), new SqsFifoModel(2, QueueUnderTest.Start.ToUnixTimeMilliseconds())))
            .SampleParallel(
                [
                    Gen.Select(Gen.Int[0, 2], Gen.Int[0, 2], Gen.Int[0, 9]).Operation<QueueUnderTest, SqsFifoModel>(
                        t => $"Send(g{t.Item1}, d{t.Item2}, body {t.Item3})",
                        (q, t) => q.Send($"b{t.Item3}", $"g{t.Item1}", $"d{t.Item2}"),
                        (m, t) => m.Send($"b{t.Item3}", $"g{t.Item1}", $"d{t.Item2}")),
                    Gen.Int[1, 10].Operation<QueueUnderTest, SqsFifoModel>(
                        max => $"Receive({max})",
                        (q, max) => q.Receive(max, 30_000),
                        (m, max) => m.Receive(max, 30_000)),
                ],
                equal: SameObservationsInAnyOrder,
                iter: 100,
                threads: 2,
                printActual: q => q.ToString(),
                printModel: m => m.ToString());
    }

    public void Dispose()
    {
        foreach (var queue in _queues)
        {
            queue.Dispose();
        }
    }

    private static bool SameObservations(IQueueObservations actual, IQueueObservations model) =>
        actual.Log.SequenceEqual(model.Log, StringComparer.Ordinal) && actual.Snapshot() == model.Snapshot();

    private static bool SameObservationsInAnyOrder(IQueueObservations actual, IQueueObservations model) =>
        actual.Log.Order(StringComparer.Ordinal).SequenceEqual(model.Log.Order(StringComparer.Ordinal), StringComparer.Ordinal)
        && actual.Snapshot() == model.Snapshot();

    private QueueUnderTest Open(int maxReceiveCount)
    {
        var queue = new QueueUnderTest(maxReceiveCount);
        _queues.Add(queue);
        return queue;
    }
}
