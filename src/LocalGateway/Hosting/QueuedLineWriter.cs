using System.Globalization;
using System.Text;

namespace SocketRelay.LocalGateway.Hosting;

/// <summary>
/// A <see cref="TextWriter"/> whose writes never wait for its output: each whole line goes into a bounded
/// queue, and a background thread writes the queue to the inner writer in order. A terminal or pipe that
/// stops reading (a paused pager, a full pipe) therefore stalls only that thread, never the caller: the
/// gateway's function log lines are written by the code that serves every connection.
/// </summary>
/// <remarks>
/// When <see cref="Capacity"/> lines are waiting, further lines are dropped whole, as
/// <c>ConsoleLoggerQueueFullMode.DropWrite</c> does for the .NET console logger, and once the output reads
/// again a line in the gateway's log format stands where they are missing and says how many were dropped
/// (<see cref="DroppedNotice"/>). A line is text up to and including <c>'\n'</c>; text without one waits for the rest of its line, and is
/// written by <see cref="Dispose(bool)"/>. <see cref="Flush"/> does not wait: the thread flushes the inner writer
/// whenever it has written everything queued.
/// </remarks>
public sealed class QueuedLineWriter : TextWriter
{
    /// <summary>How many lines may wait for the output before lines are dropped: about 5 MB of 500-byte log lines.</summary>
    public const int DefaultCapacity = 10_000;

    private static readonly TimeSpan LongestDrainOnDispose = TimeSpan.FromSeconds(2);

    private readonly TextWriter _inner;
    private readonly SingleConsumerQueue<Line> _lines;
    private readonly Lock _partialLock = new();
    private readonly StringBuilder _partial = new();
    private readonly Thread _writer;
    private long _droppedSinceLastQueued;
    private DateTime _firstDroppedAt;

    /// <param name="inner">Where the lines go, e.g. <see cref="Console.Out"/>; only the background thread writes to it.</param>
    /// <param name="capacity">Lines that may wait before lines are dropped; at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is less than 1.</exception>
    public QueuedLineWriter(TextWriter inner, int capacity = DefaultCapacity)
        : base(CultureInfo.InvariantCulture)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _inner = inner;
        Capacity = capacity;
        _lines = new SingleConsumerQueue<Line>(capacity);
        _writer = new Thread(WriteLines) { IsBackground = true, Name = "output writer" };
        _writer.Start();
    }

    public override Encoding Encoding => _inner.Encoding;

    /// <summary>How many lines may wait for the output before lines are dropped.</summary>
    public int Capacity { get; }

    public override void Write(char value)
    {
        lock (_partialLock)
        {
            _partial.Append(value);
            if (value == '\n')
            {
                Enqueue(_partial.ToString());
                _partial.Clear();
            }
        }
    }

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    public override void Write(ReadOnlySpan<char> buffer) => Write(new string(buffer));

    public override void Write(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        lock (_partialLock)
        {
            var lastNewline = value.LastIndexOf('\n');
            if (lastNewline < 0)
            {
                _partial.Append(value);
                return;
            }

            // The usual case, one whole formatted line in one write, is queued as it is.
            if (_partial.Length == 0 && lastNewline == value.Length - 1)
            {
                Enqueue(value);
                return;
            }

            _partial.Append(value, 0, lastNewline + 1);
            Enqueue(_partial.ToString());
            _partial.Clear().Append(value, lastNewline + 1, value.Length - lastNewline - 1);
        }
    }

    public override void WriteLine(string? value) => Write(value + NewLine);

    /// <summary>Does not wait for the output; the background thread flushes the inner writer whenever it has caught up.</summary>
    public override void Flush()
    {
    }

    /// <summary>
    /// The line written in place of <paramref name="dropped"/> dropped lines, the first of them dropped at
    /// <paramref name="since"/>, in the gateway's single-line log format.
    /// </summary>
    internal string DroppedNotice(long dropped, DateTime since, DateTime now) => string.Create(
        CultureInfo.InvariantCulture,
        $"{now:HH:mm:ss} warn: {typeof(QueuedLineWriter).FullName}[0] {dropped} log line(s) dropped since {since:HH:mm:ss}: the output was not being read and {Capacity} lines were waiting\n");

    /// <summary>
    /// Writes any unfinished line, then waits up to 2 s for the queue to reach the output: a stop must not hang on
    /// an output nobody reads. Does not dispose the inner writer.
    /// </summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing && !_lines.IsAddingCompleted)
        {
            lock (_partialLock)
            {
                if (_partial.Length > 0)
                {
                    Enqueue(_partial.ToString());
                    _partial.Clear();
                }

                _lines.CompleteAdding();
            }

            if (_writer.Join(LongestDrainOnDispose))
            {
                _lines.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    /// <summary>Called under the partial-line lock, so lines are queued, and counted when dropped, in the order written.</summary>
    private void Enqueue(string text)
    {
        if (_lines.TryAdd(new Line(text, _droppedSinceLastQueued, _firstDroppedAt)))
        {
            _droppedSinceLastQueued = 0;
            return;
        }

        if (_droppedSinceLastQueued == 0)
        {
            _firstDroppedAt = DateTime.Now;
        }

        _droppedSinceLastQueued += Math.Max(1, text.AsSpan().Count('\n'));
    }

    private void WriteLines()
    {
        while (_lines.TryTake(out var line, Timeout.Infinite))
        {
            if (line.DroppedBefore > 0)
            {
                TryWrite(DroppedNotice(line.DroppedBefore, line.FirstDroppedAt, DateTime.Now));
            }

            TryWrite(line.Text);
            if (_lines.Count == 0)
            {
                WriteNoticeOfLastDrops();
                TryWrite(null);
            }
        }

        WriteNoticeOfLastDrops();
        TryWrite(null);
    }

    /// <summary>
    /// Once everything queued is written, the lines dropped after the last one queued are reported at once,
    /// not only when the next line comes: the notice still stands where they are missing, since this thread
    /// writes everything queued after it.
    /// </summary>
    private void WriteNoticeOfLastDrops()
    {
        long dropped;
        DateTime since;
        lock (_partialLock)
        {
            if (_lines.Count > 0 || _droppedSinceLastQueued == 0)
            {
                return;
            }

            (dropped, since) = (_droppedSinceLastQueued, _firstDroppedAt);
            _droppedSinceLastQueued = 0;
        }

        TryWrite(DroppedNotice(dropped, since, DateTime.Now));
    }

    /// <summary>Writes <paramref name="text"/> to the inner writer, or flushes it when null.</summary>
    private void TryWrite(string? text)
    {
        try
        {
            if (text is null)
            {
                _inner.Flush();
            }
            else
            {
                _inner.Write(text);
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // The output is gone (a closed pipe): there is nowhere left to write to, and no caller waits for it.
        }
    }

    /// <param name="Text">One or more whole lines, <c>'\n'</c> included.</param>
    /// <param name="DroppedBefore">Lines dropped between the line queued before this one and this one.</param>
    /// <param name="FirstDroppedAt">When the first of those was dropped (local time).</param>
    private readonly record struct Line(string Text, long DroppedBefore, DateTime FirstDroppedAt);
}
