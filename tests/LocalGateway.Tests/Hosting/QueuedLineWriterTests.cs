using System.Text;
using SocketRelay.LocalGateway.Hosting;

namespace SocketRelay.LocalGateway.Tests.Hosting;

public sealed class QueuedLineWriterTests
{
    [Fact]
    public void Lines_reach_the_output_whole_and_in_order_however_they_were_written()
    {
        var output = new StringWriter();
        using (var writer = new QueuedLineWriter(TextWriter.Synchronized(output)))
        {
            writer.Write("{\"a\":");
            writer.Write('1');
            writer.Write("}\n{\"b\":2}\n{\"c\"");
            writer.Write(":3}\n".ToCharArray(), 0, 4);
            writer.WriteLine("{\"d\":4}");
            writer.Write("unfinished");
        }

        Assert.Equal("{\"a\":1}\n{\"b\":2}\n{\"c\":3}\n{\"d\":4}" + Environment.NewLine + "unfinished", output.ToString());
    }

    [Fact]
    public async Task A_stalled_output_never_makes_a_writer_wait_and_the_lines_beyond_the_queue_are_counted_not_lost_silently()
    {
        using var output = new StalledWriter();
        var writer = new QueuedLineWriter(output, capacity: 10);

        // 100 lines while the output takes none: every write returns, whatever the output does.
        var writing = Task.Run(() =>
        {
            for (var i = 0; i < 100; i++)
            {
                writer.Write($"line {i}\n");
            }
        });
        Assert.Same(writing, await Task.WhenAny(writing, Task.Delay(TimeSpan.FromSeconds(30))));
        await output.FirstWriteStarted.WaitAsync(TimeSpan.FromSeconds(30));

        output.Resume();
        writer.Write("after\n");
        writer.Dispose();

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var written = lines.Where(l => l.StartsWith("line ", StringComparison.Ordinal)).Select(l => int.Parse(l[5..], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal([.. written.Order()], written);
        // One line in the writer's hands plus a full queue got through; the rest were dropped and said so, once.
        Assert.InRange(written.Count, 10, 11);
        var notice = Assert.Single(lines, l => l.Contains("dropped", StringComparison.Ordinal));
        Assert.Contains($"{100 - written.Count} log line(s) dropped", notice, StringComparison.Ordinal);
        Assert.Contains("warn: SocketRelay.LocalGateway.Hosting.QueuedLineWriter", notice, StringComparison.Ordinal);
        // The notice stands where the lines are missing: after the last line written, before the next one.
        Assert.Equal(["line " + written[^1], notice, "after"], lines[^3..]);
    }

    [Fact]
    public async Task Dispose_gives_up_on_an_output_that_never_reads_again_instead_of_hanging_the_stop()
    {
        using var output = new StalledWriter();
        var writer = new QueuedLineWriter(output);
        writer.Write("stuck\n");

        var disposing = Task.Run(writer.Dispose);

        Assert.Same(disposing, await Task.WhenAny(disposing, Task.Delay(TimeSpan.FromSeconds(30))));
        output.Resume();
    }

    /// <summary>An output that blocks every write until <see cref="Resume"/>, as a pipe nobody reads does once full.</summary>
    private sealed class StalledWriter : TextWriter
    {
        private readonly ManualResetEventSlim _resumed = new();
        private readonly TaskCompletionSource _firstWrite = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly StringBuilder _text = new();

        public override Encoding Encoding => Encoding.UTF8;

        public Task FirstWriteStarted => _firstWrite.Task;

        public void Resume() => _resumed.Set();

        public override void Write(char value) => Write(value.ToString());

        public override void Write(string? value)
        {
            _firstWrite.TrySetResult();
            _resumed.Wait();
            lock (_text)
            {
                _text.Append(value);
            }
        }

        public override string ToString()
        {
            lock (_text)
            {
                return _text.ToString();
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _resumed.Set();
                _resumed.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
