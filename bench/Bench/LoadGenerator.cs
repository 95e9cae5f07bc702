using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace SocketRelay.Bench;

/// <summary>What one open-loop load step measured.</summary>
/// <param name="AchievedPerSecond">Replies received / (last reply − first scheduled send).</param>
/// <param name="OutstandingMid">Messages sent but not yet answered halfway through the sending phase.</param>
/// <param name="OutstandingEnd">Messages sent but not yet answered when the last message of the step was sent.</param>
public sealed record LoadResult(
    double OfferedPerSecond, int Sent, int Received, int Lost, double AchievedPerSecond, double P50Ms, double P95Ms, double P99Ms, double MaxMs,
    int OutstandingMid = 0, int OutstandingEnd = 0)
{
    /// <summary>How much the backlog (sent − answered) grew over the second half of the sending phase, in messages.</summary>
    public int BacklogGrowth => OutstandingEnd - OutstandingMid;
}

/// <summary>
/// An open-loop WebSocket load generator: N connections, messages scheduled at a fixed rate and dealt
/// round-robin over the connections, each reply matched to its message by the id in the echoed body.
/// Latency is measured from the <em>scheduled</em> send time, so a generator or server that falls
/// behind shows up in the figures instead of hiding (no coordinated omission).
/// </summary>
public sealed class LoadGenerator : IAsyncDisposable
{
    private readonly List<Connection> _connections = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Step> _steps = [];
    private long _nextId;
    private long _waitedFrom;
    private long _lastReplyAt;
    private Step? _step;

    public static async Task<LoadGenerator> ConnectAsync(Uri url, int connections, CancellationToken cancellationToken)
    {
        var generator = new LoadGenerator();
        using var opening = new SemaphoreSlim(64);
        var tasks = Enumerable.Range(0, connections).Select(async _ =>
        {
            await opening.WaitAsync(cancellationToken);
            try
            {
                var socket = new ClientWebSocket();
                socket.Options.KeepAliveInterval = TimeSpan.Zero;
                await socket.ConnectAsync(url, cancellationToken);
                return new Connection(socket);
            }
            finally
            {
                opening.Release();
            }
        }).ToList();
        generator._connections.AddRange(await Task.WhenAll(tasks));
        foreach (var connection in generator._connections)
        {
            connection.Start(generator.OnReply, generator._stopping.Token);
        }

        return generator;
    }

    /// <summary>Offers <paramref name="rate"/> msg/s for <paramref name="duration"/>, then waits up to <paramref name="drain"/> for the last replies.</summary>
    public async Task<LoadResult> RunAsync(double rate, TimeSpan duration, TimeSpan drain, CancellationToken cancellationToken)
    {
        var total = Math.Max(1, (int)(rate * duration.TotalSeconds));
        var step = new Step(Interlocked.Add(ref _nextId, total) - total, total);
        lock (_steps)
        {
            _steps.Add(step);
        }

        Volatile.Write(ref _step, step);
        var ticksPerMessage = Stopwatch.Frequency / rate;
        step.Start = Stopwatch.GetTimestamp();
        for (var k = 0; k < total; k++)
        {
            var due = step.Start + (long)(k * ticksPerMessage);
            while (Stopwatch.GetTimestamp() < due)
            {
                await Task.Delay(1, cancellationToken);
            }

            step.ScheduledAt[k] = due;
            _connections[k % _connections.Count].Send(step.FirstId + k);
            if (k == total / 2)
            {
                step.OutstandingMid = k + 1 - Volatile.Read(ref step.ReceivedCount);
            }
        }

        step.OutstandingEnd = total - Volatile.Read(ref step.ReceivedCount);

        var drainUntil = Stopwatch.GetTimestamp() + (long)(drain.TotalSeconds * Stopwatch.Frequency);
        while (Volatile.Read(ref step.ReceivedCount) < total && Stopwatch.GetTimestamp() < drainUntil)
        {
            await Task.Delay(20, cancellationToken);
        }

        return step.Result(rate);
    }

    /// <summary>
    /// Messages sent so far, by any step, not answered yet and not given up on by <see cref="WaitUntilAnsweredAsync"/>;
    /// each message counts once, however many replies it gets.
    /// </summary>
    public long Unanswered
    {
        get
        {
            var from = Volatile.Read(ref _waitedFrom);
            lock (_steps)
            {
                return _steps.Where(s => s.FirstId >= from).Sum(s => (long)(s.Total - Volatile.Read(ref s.ReceivedCount)));
            }
        }
    }

    /// <summary>
    /// Waits until every message sent so far, by any step, has been answered, so that the next step starts
    /// on an idle server: after an overloaded step the server may still hold thousands of its messages (in
    /// its queue, in socket buffers, in this generator's outboxes), and a step that starts behind them is
    /// judged on the last step's load. Gives up, returning the number still unanswered, when no reply has
    /// arrived for <paramref name="quiet"/> (a server that lost messages) or after <paramref name="timeout"/>;
    /// later waits do not wait for those again.
    /// </summary>
    /// <returns>0 when every message was answered; otherwise how many were not, and are given up on.</returns>
    public async Task<long> WaitUntilAnsweredAsync(TimeSpan quiet, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var until = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        var quietTicks = (long)(quiet.TotalSeconds * Stopwatch.Frequency);
        var waitingSince = Stopwatch.GetTimestamp();
        while (true)
        {
            var unanswered = Unanswered;
            var now = Stopwatch.GetTimestamp();
            var lastReply = Math.Max(Volatile.Read(ref _lastReplyAt), waitingSince);
            if (unanswered == 0 || now >= until || now - lastReply >= quietTicks)
            {
                // Called between steps: every message sent so far belongs to a finished step.
                Volatile.Write(ref _waitedFrom, Volatile.Read(ref _nextId));
                return unanswered;
            }

            await Task.Delay(20, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await Task.WhenAll(_connections.Select(c => c.CloseAsync()));
        _stopping.Dispose();
    }

    private void OnReply(long id, long receivedAt)
    {
        Volatile.Write(ref _lastReplyAt, receivedAt);
        var step = Volatile.Read(ref _step);
        if (step is null || id < step.FirstId || id >= step.FirstId + step.Total)
        {
            step = EarlierStep(id); // a late reply to an earlier step: counted as answered, its step's figures are final
        }

        if (step is null)
        {
            return;
        }

        var k = (int)(id - step.FirstId);
        if (Volatile.Read(ref step.Received[k]) == 0)
        {
            // The latency is written before the message counts as received (Exchange is a full fence), so a
            // result read at the same time never sees a received message without its latency.
            step.LatencyTicks[k] = receivedAt - step.ScheduledAt[k];
            if (Interlocked.Exchange(ref step.Received[k], 1) == 0)
            {
                Interlocked.Increment(ref step.ReceivedCount);
                InterlockedMax(ref step.LastReceivedAt, receivedAt);
            }
        }
    }

    private Step? EarlierStep(long id)
    {
        lock (_steps)
        {
            return _steps.FindLast(s => id >= s.FirstId && id < s.FirstId + s.Total);
        }
    }

    private static void InterlockedMax(ref long target, long value)
    {
        long seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }

    /// <summary>The id is the number after <c>"i":</c> in the echoed body, the reply's <c>message</c> string.</summary>
    /// <summary>
    /// Reads one WebSocket message into <paramref name="buffer"/>, frame by frame, until its end or until the
    /// buffer is full; returns the last frame's result and the bytes read.
    /// </summary>
    internal static async Task<(ValueWebSocketReceiveResult Last, int Filled)> ReceiveMessageAsync(WebSocket socket, byte[] buffer, CancellationToken cancellationToken)
    {
        var filled = 0;
        ValueWebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer.AsMemory(filled), cancellationToken);
            filled += result.Count;
        }
        while (!result.EndOfMessage && filled < buffer.Length);

        return (result, filled);
    }

    internal static bool TryReadId(ReadOnlySpan<byte> reply, out long id)
    {
        id = 0;
        try
        {
            var reader = new Utf8JsonReader(reply);
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("message"u8) && reader.Read() && reader.TokenType == JsonTokenType.String)
                {
                    var body = reader.GetString()!;
                    var at = body.IndexOf("\"i\":", StringComparison.Ordinal);
                    if (at < 0)
                    {
                        return false;
                    }

                    var digits = body.AsSpan(at + 4);
                    var end = digits.IndexOfAnyExceptInRange('0', '9');
                    return long.TryParse(end < 0 ? digits : digits[..end], NumberStyles.None, CultureInfo.InvariantCulture, out id);
                }
            }
        }
        catch (JsonException)
        {
        }

        return false;
    }

    private sealed class Step(long firstId, int total)
    {
        public readonly long FirstId = firstId;
        public readonly int Total = total;
        public readonly long[] ScheduledAt = new long[total];
        public readonly long[] LatencyTicks = new long[total];
        public readonly int[] Received = new int[total];
        public long Start;
        public int ReceivedCount;
        public int OutstandingMid;
        public int OutstandingEnd;
        public long LastReceivedAt;

        public LoadResult Result(double rate)
        {
            var latencies = new List<double>(Total);
            for (var k = 0; k < Total; k++)
            {
                if (Volatile.Read(ref Received[k]) == 1)
                {
                    latencies.Add(LatencyTicks[k] * 1000.0 / Stopwatch.Frequency);
                }
            }

            var received = latencies.Count;
            var span = (Volatile.Read(ref LastReceivedAt) - Start) / (double)Stopwatch.Frequency;
            return new LoadResult(
                rate, Total, received, Total - received, span > 0 ? received / span : 0,
                Statistics.Percentile(latencies, 50), Statistics.Percentile(latencies, 95), Statistics.Percentile(latencies, 99),
                latencies.Count > 0 ? latencies.Max() : double.NaN, OutstandingMid, OutstandingEnd);
        }
    }

    private sealed class Connection(ClientWebSocket socket)
    {
        private readonly Channel<long> _outbox = Channel.CreateUnbounded<long>(new UnboundedChannelOptions { SingleReader = true });
        private Task _sending = Task.CompletedTask;
        private Task _receiving = Task.CompletedTask;

        public void Start(Action<long, long> onReply, CancellationToken stopping)
        {
            _sending = Task.Run(() => SendLoopAsync(stopping), CancellationToken.None);
            _receiving = Task.Run(() => ReceiveLoopAsync(onReply, stopping), CancellationToken.None);
        }

        public void Send(long id) => _outbox.Writer.TryWrite(id);

        public async Task CloseAsync()
        {
            _outbox.Writer.TryComplete();
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bench done", timeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
            {
            }

            await Task.WhenAll(_sending, _receiving).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            socket.Dispose();
        }

        private async Task SendLoopAsync(CancellationToken stopping)
        {
            var buffer = new byte[64];
            await foreach (var id in _outbox.Reader.ReadAllAsync(stopping))
            {
                var length = Encoding.UTF8.GetBytes($$"""{"i":{{id}}}""", buffer);
                await socket.SendAsync(buffer.AsMemory(0, length), WebSocketMessageType.Text, endOfMessage: true, stopping);
            }
        }

        private async Task ReceiveLoopAsync(Action<long, long> onReply, CancellationToken stopping)
        {
            var buffer = new byte[16 * 1024];
            while (socket.State == WebSocketState.Open || socket.State == WebSocketState.CloseSent)
            {
                var (result, filled) = await ReceiveMessageAsync(socket, buffer, stopping);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                var receivedAt = Stopwatch.GetTimestamp();
                if (TryReadId(buffer.AsSpan(0, filled), out var id))
                {
                    onReply(id, receivedAt);
                }
            }
        }
    }
}
