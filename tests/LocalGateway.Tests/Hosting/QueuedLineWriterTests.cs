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

        // The writer's thread takes the first line and blocks on the output; then 99 more lines while it takes none.
        writer.Write("line 0\n");
        await output.FirstWriteStarted.WaitAsync(TimeSpan.FromSeconds(30));
        var writing = Task.Run(() =>
        {
            for (var i = 1; i < 100; i++)
            {
                writer.Write($"line {i}\n");
            }
        });
        Assert.Same(writing, await Task.WhenAny(writing, Task.Delay(TimeSpan.FromSeconds(30))));

        // Once the output reads again the notice comes as soon as the queue is written, not with the next line.
        output.Resume();
        var until = DateTime.UtcNow.AddSeconds(30);
        while (!output.ToString().Contains("dropped", StringComparison.Ordinal) && DateTime.UtcNow < until)
        {
            await Task.Delay(20);
        }

        writer.Write("after\n");
        writer.Dispose();

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var written = lines.Where(l => l.StartsWith("line ", StringComparison.Ordinal)).Select(l => int.Parse(l[5..], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        // The line in the thread's hands and a full queue got through; the other 89 were dropped, and said so once.
        Assert.Equal(Enumerable.Range(0, 11), written);
        var notice = Assert.Single(lines, l => l.Contains("dropped", StringComparison.Ordinal));
        Assert.Contains("89 log line(s) dropped since ", notice, StringComparison.Ordinal);
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
