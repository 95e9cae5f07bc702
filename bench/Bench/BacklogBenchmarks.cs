using System.Diagnostics;
using System.Globalization;
using SocketRelay.LocalGateway.Queue;

namespace SocketRelay.Bench;

/// <summary>How the backlog step loads the queue.</summary>
/// <param name="Senders">Concurrent senders of the ingest phase, each sending its next message as soon as the last is stored.</param>
/// <param name="Pollers">Concurrent receive (≤ 10, visibility 60 s, wait 20 s) → batched delete loops, running through both phases.</param>
/// <param name="Groups">Message groups the load is spread over (never the held one).</param>
/// <param name="Duration">How long each phase sends.</param>
/// <param name="LatencyRate">Offered msg/s of the latency phase (open loop: each send starts at its scheduled time).</param>
/// <param name="Drain">How long the pollers may take for a phase's last messages after its sends.</param>
/// <param name="Backlog">Messages queued behind the held group's head before the load runs.</param>
/// <param name="Pairs">Windows of the load on each queue, alternated empty/held, held/empty, … (one pair = one window on each).</param>
public sealed record BacklogSettings(int Senders, int Pollers, int Groups, TimeSpan Duration, double LatencyRate, TimeSpan Drain, int Backlog, int Pairs);

/// <summary>What the load against one queue measured.</summary>
/// <param name="IngestPerSecond">Ingest phase: sends completed (stored, fsync'd) per second, closed loop, pollers receiving throughout.</param>
/// <param name="IngestP99Ms">Ingest phase: send → received p99 (ms); the pollers fall behind a closed loop, so this grows with the phase's length.</param>
/// <param name="LatencyRate">Latency phase: offered msg/s.</param>
/// <param name="P50Ms">Latency phase: from a send's scheduled start to a poller holding the message, median (ms).</param>
/// <param name="P99Ms">Latency phase: the same, 99th percentile (ms).</param>
/// <param name="Unreceived">Messages of either phase that no poller received before its drain ended.</param>
/// <param name="IngestCpuPerMessageUs">Ingest phase: the driver's CPU time (all threads: senders, pollers, the queue's writer) per send completed, in µs; unlike the rate, it does not count the time the machine gave to others.</param>
public sealed record QueueLoadResult(
    int IngestSent, double IngestPerSecond, double IngestP99Ms, double IngestCpuPerMessageUs,
    double LatencyRate, int LatencySent, double P50Ms, double P95Ms, double P99Ms, double MaxMs, int Unreceived);

/// <summary>
/// Both sides of the backlog step: each side's windows, and their summary.
/// </summary>
/// <param name="Empty">The empty queue: ingest the median of its windows, latency percentiles over all their samples, counts summed.</param>
/// <param name="Held">The queue behind the held group, summarised the same way.</param>
/// <param name="EmptyWindows">The empty queue's windows, in the order they ran.</param>
/// <param name="HeldWindows">The held queue's windows, in the order they ran.</param>
/// <param name="BuildPerSecond">Sends per second of a 100,000-message build into the held group (64 senders, one group), the median of the step's builds.</param>
/// <param name="PairRatios">Per pair, held ingest / empty ingest: the spread of <see cref="IngestRatio"/>.</param>
public sealed record BacklogComparison(
    QueueLoadResult Empty, QueueLoadResult Held,
    IReadOnlyList<QueueLoadResult> EmptyWindows, IReadOnlyList<QueueLoadResult> HeldWindows,
    double BuildPerSecond, IReadOnlyList<double> PairRatios)
{
    /// <summary>
    /// The median of the per-pair ratios, held ingest / empty ingest: each ratio compares two windows of the
    /// same minutes, so a slow minute of the machine cancels out instead of deciding one side's median.
    /// </summary>
    public double IngestRatio => Statistics.Median(PairRatios);

    /// <summary>The median of the per-pair ratios of CPU per ingested message, held / empty: the backlog's cost in work rather than in rate.</summary>
    public double IngestCpuRatio => Statistics.Median([.. EmptyWindows.Zip(HeldWindows, (e, h) => h.IngestCpuPerMessageUs / e.IngestCpuPerMessageUs)]);
}

/// <summary>
/// The queue's cost against its backlog, in-process on the local gateway's SQLite queue (no HTTP, no
/// WebSocket, no function): the same load on the queue empty and with a message group held back (its
/// head received with a 12-hour visibility timeout) in front of a backlog of
/// <see cref="BacklogSettings.Backlog"/> messages, in alternating windows so that both sides see the
/// same minutes of the machine. A queue whose receive walks locked groups' messages gets slower as that
/// backlog grows; one that finds group heads directly does not.
/// </summary>
public static class BacklogBenchmarks
{
    public const string HeldGroup = "held";

    private static readonly Dictionary<string, string> NoAttributes = [];
    private static int _windows;

    /// <summary>The load of <paramref name="settings"/> once on a throwaway queue, unmeasured: the JIT and the thread pool warm up.</summary>
    public static async Task WarmUpAsync(string scratch, BacklogSettings settings, Action<string> log)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(log);
        var directory = Path.Combine(scratch, $"queue-warm-up-{Guid.NewGuid():N}");
        try
        {
            using var queue = Open(directory);
            log($"warm-up (not measured): {Describe((await LoadAsync(queue, settings)).Result)}");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>
    /// Opens one fresh queue and runs <see cref="BacklogSettings.Pairs"/> pairs of windows of the same load on
    /// it, the side that goes first alternating (empty–held, held–empty, …): before a held window,
    /// <see cref="BacklogSettings.Backlog"/> messages go into <see cref="HeldGroup"/> (timed: what those sends
    /// into one group paid) and its head is received for 12 hours; before an empty window the head is deleted
    /// and the group drained. One queue, so that the backlog is the only difference between the two sides:
    /// two queues side by side differ by their files too.
    /// </summary>
    /// <exception cref="InvalidOperationException">The held group's head could not be received or its backlog drained, or a poller received a message of the held group.</exception>
    public static async Task<BacklogComparison> CompareAsync(string scratch, BacklogSettings settings, Action<string> log)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(log);
        var directory = Path.Combine(scratch, $"queue-backlog-{Guid.NewGuid():N}");
        try
        {
            using var queue = Open(directory);
            var emptyWindows = new List<(QueueLoadResult Result, List<double> Latencies)>();
            var heldWindows = new List<(QueueLoadResult Result, List<double> Latencies)>();
            var buildRates = new List<double>();
            string? heldHead = null;
            for (var pair = 0; pair < settings.Pairs; pair++)
            {
                foreach (var heldSide in pair % 2 == 0 ? [false, true] : new[] { true, false })
                {
                    if (heldSide && heldHead is null)
                    {
                        (heldHead, var buildPerSecond) = await BuildBacklogAsync(queue, settings, buildRates.Count);
                        buildRates.Add(buildPerSecond);
                        log($"built {settings.Backlog} messages in group '{HeldGroup}' at {buildPerSecond:F0} sends/s and held its head");
                    }
                    else if (!heldSide && heldHead is not null)
                    {
                        var drained = await ReleaseBacklogAsync(queue, heldHead);
                        if (drained.Messages != settings.Backlog - 1)
                        {
                            throw new InvalidOperationException($"releasing group '{HeldGroup}' drained {drained.Messages} messages, not the {settings.Backlog - 1} behind its head");
                        }

                        heldHead = null;
                        log($"released group '{HeldGroup}': deleted its head and drained {drained.Messages} messages in {drained.Seconds:F1} s");
                    }

                    var window = await LoadAsync(queue, settings);
                    if (window.Result.Unreceived > 0)
                    {
                        // Left behind, they would be received in the next window and taken for its own messages.
                        throw new InvalidOperationException(
                            $"the backlog step's window left {window.Result.Unreceived} messages unreceived after its {settings.Drain.TotalSeconds:F0} s drain: {Describe(window.Result)}");
                    }

                    (heldSide ? heldWindows : emptyWindows).Add(window);
                    log($"pair {pair + 1}/{settings.Pairs}, {(heldSide ? "behind the held group" : "empty queue")}: {Describe(window.Result)}");
                }
            }

            return new BacklogComparison(
                Summarize(emptyWindows), Summarize(heldWindows),
                [.. emptyWindows.Select(w => w.Result)], [.. heldWindows.Select(w => w.Result)],
                Statistics.Median(buildRates),
                [.. emptyWindows.Zip(heldWindows, (e, h) => h.Result.IngestPerSecond / e.Result.IngestPerSecond)]);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    public static string Describe(QueueLoadResult r) =>
        $"ingest {r.IngestPerSecond:F0} msg/s ({r.IngestSent} sends, closed loop; p99 {r.IngestP99Ms:F0} ms; {r.IngestCpuPerMessageUs:F1} µs CPU/msg); at {r.LatencyRate:F0} msg/s send → received p50 {r.P50Ms:F1} ms, p95 {r.P95Ms:F1} ms, p99 {r.P99Ms:F1} ms, max {r.MaxMs:F1} ms; {r.Unreceived} not received";

    /// <summary>
    /// Sends the backlog into <see cref="HeldGroup"/> (deduplication ids of build <paramref name="build"/>) and
    /// receives its head for 12 hours; returns the head's receipt handle and the build's sends per second.
    /// </summary>
    private static async Task<(string HeadReceiptHandle, double BuildPerSecond)> BuildBacklogAsync(SqliteFifoQueue queue, BacklogSettings settings, int build)
    {
        var next = -1;
        var building = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, settings.Senders).Select(async _ =>
        {
            int n;
            while ((n = Interlocked.Increment(ref next)) < settings.Backlog)
            {
                await queue.SendAsync(Message(HeldGroup, $"b{build}-{n}", n), CancellationToken.None);
            }
        }));
        var buildPerSecond = settings.Backlog / building.Elapsed.TotalSeconds;

        var head = await queue.ReceiveAsync(1, SqliteFifoQueue.MaxVisibilityTimeout, TimeSpan.Zero, CancellationToken.None);
        if (head.Count != 1 || head[0].MessageGroupId != HeldGroup)
        {
            throw new InvalidOperationException($"the backlog step could not hold group '{HeldGroup}': received {head.Count} messages");
        }

        return (head[0].ReceiptHandle, buildPerSecond);
    }

    /// <summary>Deletes the held head, then receives and deletes the rest of <see cref="HeldGroup"/> until the queue is empty.</summary>
    private static async Task<(int Messages, double Seconds)> ReleaseBacklogAsync(SqliteFifoQueue queue, string headReceiptHandle)
    {
        var draining = Stopwatch.StartNew();
        await queue.DeleteBatchAsync([headReceiptHandle], CancellationToken.None);
        var drained = 0;
        while (true)
        {
            var messages = await queue.ReceiveAsync(SqliteFifoQueue.MaxMessagesPerReceive, TimeSpan.FromSeconds(60), TimeSpan.Zero, CancellationToken.None);
            if (messages.Count == 0)
            {
                break;
            }

            if (messages.Any(m => m.MessageGroupId != HeldGroup))
            {
                throw new InvalidOperationException($"the backlog step found a message of another group than '{HeldGroup}' while draining it: a window left messages behind");
            }

            var deleted = await queue.DeleteBatchAsync([.. messages.Select(m => m.ReceiptHandle)], CancellationToken.None);
            if (deleted.Contains(false))
            {
                throw new InvalidOperationException($"the backlog step could not delete a drained message of group '{HeldGroup}'");
            }

            drained += messages.Count;
        }

        return (drained, draining.Elapsed.TotalSeconds);
    }

    /// <summary>One side's windows as one result: ingest the median window's, latency percentiles over every window's samples, counts summed.</summary>
    private static QueueLoadResult Summarize(List<(QueueLoadResult Result, List<double> Latencies)> windows)
    {
        var latencies = windows.SelectMany(w => w.Latencies).ToList();
        return new QueueLoadResult(
            windows.Sum(w => w.Result.IngestSent), Statistics.Median([.. windows.Select(w => w.Result.IngestPerSecond)]),
            Statistics.Median([.. windows.Select(w => w.Result.IngestP99Ms)]),
            Statistics.Median([.. windows.Select(w => w.Result.IngestCpuPerMessageUs)]),
            windows[0].Result.LatencyRate, windows.Sum(w => w.Result.LatencySent),
            Statistics.Percentile(latencies, 50), Statistics.Percentile(latencies, 95), Statistics.Percentile(latencies, 99),
            latencies.Count > 0 ? latencies.Max() : double.NaN,
            windows.Sum(w => w.Result.Unreceived));
    }

    private static SqliteFifoQueue Open(string directory) =>
        SqliteFifoQueue.Open(new SqliteQueueOptions { DataDirectory = directory }, TimeProvider.System);

    private static OutgoingMessage Message(string group, string deduplicationId, int index) =>
        new(string.Create(CultureInfo.InvariantCulture, $$"""{"i":{{index}}}"""), group, deduplicationId, NoAttributes);

    /// <summary>
    /// Pollers receiving and deleting throughout; first closed-loop senders for the duration (ingest),
    /// then sends started at a fixed rate for the duration (latency), each phase drained before the next.
    /// </summary>
    private static async Task<(QueueLoadResult Result, List<double> Latencies)> LoadAsync(SqliteFifoQueue queue, BacklogSettings settings)
    {
        // Generous: a closed loop on 2 cores stores far fewer than 200,000 messages a second.
        var tracker = new Tracker((int)(settings.Duration.TotalSeconds * (200_000 + settings.LatencyRate)) + 1);
        // Each window's own deduplication ids: a queue measured twice would otherwise take the second
        // window's sends as duplicates of the first's (within SQS's 5-minute deduplication interval).
        var window = Interlocked.Increment(ref _windows);
        using var stopPolling = new CancellationTokenSource();
        var pollers = Enumerable.Range(0, settings.Pollers).Select(_ => Task.Run(() => PollAsync(queue, tracker, stopPolling.Token))).ToList();

        // Ingest: as fast as the senders' sends complete.
        var ingestFrom = tracker.Claimed;
        var cpuBefore = Environment.CpuUsage.TotalTime;
        var sendUntil = Stopwatch.GetTimestamp() + (long)(settings.Duration.TotalSeconds * Stopwatch.Frequency);
        var ingestClock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, settings.Senders).Select(_ => Task.Run(async () =>
        {
            while (Stopwatch.GetTimestamp() < sendUntil && tracker.TryClaim(out var n))
            {
                tracker.StartedAt[n] = Stopwatch.GetTimestamp();
                await queue.SendAsync(Message($"g{n % settings.Groups}", $"w{window}m{n}", n), CancellationToken.None);
            }
        })));
        var ingestSeconds = ingestClock.Elapsed.TotalSeconds;
        var ingestTo = tracker.Claimed;
        var ingestCpu = Environment.CpuUsage.TotalTime - cpuBefore;
        await tracker.DrainAsync(settings.Drain);

        // Latency: open loop at a fixed rate, measured from each send's scheduled start.
        var latencyFrom = tracker.Claimed;
        var total = (int)(settings.LatencyRate * settings.Duration.TotalSeconds);
        var ticksPerMessage = Stopwatch.Frequency / settings.LatencyRate;
        var sends = new List<Task>(total);
        var start = Stopwatch.GetTimestamp();
        for (var k = 0; k < total && tracker.TryClaim(out var n); k++)
        {
            var due = start + (long)(k * ticksPerMessage);
            while (Stopwatch.GetTimestamp() < due)
            {
                await Task.Delay(1);
            }

            tracker.StartedAt[n] = due;
            sends.Add(queue.SendAsync(Message($"g{n % settings.Groups}", $"w{window}m{n}", n), CancellationToken.None));
        }

        await Task.WhenAll(sends);
        var latencyTo = tracker.Claimed;
        await tracker.DrainAsync(settings.Drain);

        await stopPolling.CancelAsync();
        await Task.WhenAll(pollers);

        var ingest = tracker.LatenciesMs(ingestFrom, ingestTo);
        var latency = tracker.LatenciesMs(latencyFrom, latencyTo);
        return (new QueueLoadResult(
            ingestTo - ingestFrom, (ingestTo - ingestFrom) / ingestSeconds, Statistics.Percentile(ingest, 99),
            ingestCpu.TotalMicroseconds / Math.Max(1, ingestTo - ingestFrom),
            settings.LatencyRate, latencyTo - latencyFrom,
            Statistics.Percentile(latency, 50), Statistics.Percentile(latency, 95), Statistics.Percentile(latency, 99),
            latency.Count > 0 ? latency.Max() : double.NaN,
            (ingestTo - ingestFrom) + (latencyTo - latencyFrom) - ingest.Count - latency.Count), latency);
    }

    /// <summary>Receive (≤ 10, visibility 60 s, long poll 20 s) → batched delete, as the gateway's pollers do.</summary>
    private static async Task PollAsync(SqliteFifoQueue queue, Tracker tracker, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            IReadOnlyList<ReceivedMessage> messages;
            try
            {
                messages = await queue.ReceiveAsync(10, TimeSpan.FromSeconds(60), SqliteFifoQueue.MaxWaitTime, stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var now = Stopwatch.GetTimestamp();
            foreach (var message in messages)
            {
                if (message.MessageGroupId == HeldGroup)
                {
                    throw new InvalidOperationException($"a poller received a message of the held group '{HeldGroup}'");
                }

                tracker.Received(IndexOf(message.Body), now);
            }

            if (messages.Count > 0)
            {
                await queue.DeleteBatchAsync([.. messages.Select(m => m.ReceiptHandle)], CancellationToken.None);
            }
        }
    }

    /// <summary>Message indexes handed out to senders, when each send started and when a poller received it (Stopwatch ticks).</summary>
    private sealed class Tracker(int capacity)
    {
        public readonly long[] StartedAt = new long[capacity];
        private readonly long[] _receivedAt = new long[capacity];
        private int _next = -1;
        private int _received;

        /// <summary>Indexes claimed so far (the next one to claim).</summary>
        public int Claimed => Math.Min(Volatile.Read(ref _next) + 1, capacity);

        public bool TryClaim(out int index)
        {
            index = Interlocked.Increment(ref _next);
            return index < capacity;
        }

        public void Received(int index, long at)
        {
            _receivedAt[index] = at;
            Interlocked.Increment(ref _received);
        }

        /// <summary>Waits until every claimed message is received, or <paramref name="timeout"/>.</summary>
        public async Task DrainAsync(TimeSpan timeout)
        {
            var until = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
            while (Volatile.Read(ref _received) < Claimed && Stopwatch.GetTimestamp() < until)
            {
                await Task.Delay(20);
            }
        }

        public List<double> LatenciesMs(int from, int to)
        {
            var latencies = new List<double>(to - from);
            for (var k = from; k < to; k++)
            {
                if (_receivedAt[k] != 0)
                {
                    latencies.Add((_receivedAt[k] - StartedAt[k]) * 1000.0 / Stopwatch.Frequency);
                }
            }

            return latencies;
        }
    }

    /// <summary>The index after <c>"i":</c> in a body written by <see cref="Message"/>.</summary>
    private static int IndexOf(string body) =>
        int.Parse(body.AsSpan(5, body.Length - 6), NumberStyles.None, CultureInfo.InvariantCulture);
}
