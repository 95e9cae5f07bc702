using System.Globalization;
using Microsoft.Diagnostics.Tracing.Etlx;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;
using SocketRelay.Bench;
using SocketRelay.Bench.Profile;
using SocketRelay.LocalGateway.Hosting;

// Run by bench/profile: see bench/README.md ("Where the time goes, per hop").
//   load URL RATE SECONDS WARMUP READY_FILE   offer RATE msg/s over 1,000 connections; READY_FILE appears when warm-up ends
//   cpu MESSAGES HZ                           read `perf script` from stdin: CPU per hop, in µs per message
//   allocations NETTRACE MESSAGES             allocation samples (GCAllocationTick) per hop, in bytes per message
SocketCompletions.UseInline(); // as bench/run's driver (ADR-040)
var command = args.Length > 0 ? args[0] : "";
switch (command)
{
    case "load":
        {
            var (url, rate, seconds, warmup, ready) = (new Uri(args[1]), Number(args[2]), Number(args[3]), Number(args[4]), args[5]);
            await using var load = await LoadGenerator.ConnectAsync(url, 1000, CancellationToken.None);
            await load.RunAsync(rate, TimeSpan.FromSeconds(warmup), TimeSpan.FromSeconds(10), CancellationToken.None);
            await File.WriteAllTextAsync(ready, "warm\n");
            var result = await load.RunAsync(rate, TimeSpan.FromSeconds(seconds), TimeSpan.FromSeconds(10), CancellationToken.None);
            Console.WriteLine($"load: {EndToEndBenchmarks.Describe(result)}");
            return result.Lost == 0 ? 0 : 1;
        }

    case "cpu":
        {
            var (messages, hz) = (Number(args[1]), Number(args[2]));
            var samples = new Dictionary<string, long>();
            var frames = new List<string>();
            void Flush()
            {
                if (frames.Count > 0)
                {
                    var hop = Hops.Of(frames);
                    samples[hop] = samples.GetValueOrDefault(hop) + 1;
                    frames.Clear();
                }
            }

            // perf script: a header line per sample, then one indented line per frame, then a blank line.
            while (Console.ReadLine() is { } line)
            {
                if (line.Length == 0 || !char.IsWhiteSpace(line[0]))
                {
                    Flush();
                }
                else
                {
                    frames.Add(line.Trim());
                }
            }

            Flush();
            Report("CPU", samples, count => count / hz * 1e6 / messages, "µs/msg");
            return 0;
        }

    case "allocations":
        {
            var messages = Number(args[2]);
            using var log = new TraceLog(TraceLog.CreateFromEventPipeDataFile(args[1]));
            var bytes = new Dictionary<string, long>();
            foreach (var traceEvent in log.Events)
            {
                if (traceEvent is not GCAllocationTickTraceData tick)
                {
                    continue;
                }

                var frames = new List<string>();
                for (var frame = tick.CallStack(); frame is not null; frame = frame.Caller)
                {
                    frames.Add($"{frame.CodeAddress.FullMethodName} {frame.CodeAddress.ModuleName}");
                }

                var hop = Hops.Of(frames);
                bytes[hop] = bytes.GetValueOrDefault(hop) + tick.AllocationAmount64;
            }

            Report("allocated", bytes, amount => amount / messages, "B/msg");
            return 0;
        }

    default:
        Console.Error.WriteLine("usage: load URL RATE SECONDS WARMUP READY_FILE | cpu MESSAGES HZ < perf-script | allocations NETTRACE MESSAGES");
        return 2;
}

static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);

static void Report(string what, Dictionary<string, long> byHop, Func<long, double> perMessage, string unit)
{
    var total = byHop.Values.Sum();
    Console.WriteLine($"{what} per hop, {perMessage(total):F1} {unit} in all");
    foreach (var hop in Hops.Names.Where(byHop.ContainsKey).OrderByDescending(h => byHop[h]))
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {100.0 * byHop[hop] / total,5:F1}%  {perMessage(byHop[hop]),8:F1} {unit}  {hop}"));
    }
}
