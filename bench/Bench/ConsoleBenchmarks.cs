namespace SocketRelay.Bench;

/// <summary>How the console step loads the gateway.</summary>
/// <param name="Rate">Offered msg/s of the CPU and memory runs (a rate both gateways sustain).</param>
/// <param name="CpuDuration">Length of one CPU run.</param>
/// <param name="CpuRepeats">CPU runs per gateway, interleaved off, on, off, on, …</param>
/// <param name="MemoryDuration">Length of the steady run whose RSS is sampled.</param>
/// <param name="MemorySampleInterval">Time between RSS samples.</param>
/// <param name="Searches">Max-sustained searches per gateway, interleaved off, on, off, on, …; the rate ratio is of their medians.</param>
public sealed record ConsoleSettings(double Rate, TimeSpan CpuDuration, int CpuRepeats, TimeSpan MemoryDuration, TimeSpan MemorySampleInterval, int Searches);

/// <summary>One CPU run: the gateway's CPU time over the messages it answered.</summary>
/// <param name="CpuMs">User + system CPU time of the gateway process during the run (ms).</param>
/// <param name="CpuMsPerMessage"><paramref name="CpuMs"/> / messages answered.</param>
public sealed record CpuRun(bool Console, double CpuMs, int Answered, double CpuMsPerMessage, double P99Ms);

/// <summary>An RSS sample of the gateway during the steady run.</summary>
/// <param name="Seconds">Since the steady run started.</param>
public sealed record RssSample(double Seconds, double RssMb);

/// <summary>
/// What the developer console's bookkeeping costs: the gateway's CPU time per message at a fixed
/// offered rate with the console on and off (the two gateways run side by side, runs interleaved so
/// that whatever else the machine does weighs on both alike), and the gateway's RSS over a steady run
/// with the console on (its history is bounded, so RSS should stay flat).
/// </summary>
public static class ConsoleBenchmarks
{
    /// <summary>Gateway environment that turns the console and its bookkeeping off.</summary>
    public static readonly IReadOnlyDictionary<string, string> ConsoleOff = new Dictionary<string, string> { ["Gateway__DevConsole"] = "false" };

    public static async Task<List<CpuRun>> CpuPerMessageAsync(
        ServerProcess off, ServerProcess on, EndToEndSettings e2e, ConsoleSettings settings, Action<string> log)
    {
        ArgumentNullException.ThrowIfNull(off);
        ArgumentNullException.ThrowIfNull(on);
        ArgumentNullException.ThrowIfNull(e2e);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(log);
        await using var loadOff = await LoadGenerator.ConnectAsync(off.WebSocketUrl, e2e.Connections, CancellationToken.None);
        await using var loadOn = await LoadGenerator.ConnectAsync(on.WebSocketUrl, e2e.Connections, CancellationToken.None);
        await loadOff.RunAsync(settings.Rate, e2e.Warmup, e2e.Drain, CancellationToken.None);
        await loadOn.RunAsync(settings.Rate, e2e.Warmup, e2e.Drain, CancellationToken.None);
        var runs = new List<CpuRun>();
        for (var i = 0; i < settings.CpuRepeats; i++)
        {
            foreach (var (server, load, console) in new[] { (off, loadOff, false), (on, loadOn, true) })
            {
                var before = server.CpuTime();
                var result = await load.RunAsync(settings.Rate, settings.CpuDuration, e2e.Drain, CancellationToken.None);
                var cpuMs = (server.CpuTime() - before).TotalMilliseconds;
                var run = new CpuRun(console, cpuMs, result.Received, cpuMs / Math.Max(1, result.Received), result.P99Ms);
                log($"console {(console ? "on " : "off")}: {cpuMs:F0} ms CPU for {result.Received} messages = {run.CpuMsPerMessage * 1000:F1} µs/msg; {EndToEndBenchmarks.Describe(result)}");
                runs.Add(run);
            }
        }

        return runs;
    }

    /// <summary>
    /// How much the RSS high-water mark rose over the run: the largest sample of the last third minus the
    /// largest of the first third (MB). Zero or less when the heap only saws between collections.
    /// </summary>
    public static double PeakGrowthMb(IReadOnlyList<RssSample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var third = Math.Max(1, samples.Count / 3);
        return samples.Skip(samples.Count - third).Max(s => s.RssMb) - samples.Take(third).Max(s => s.RssMb);
    }

    /// <summary>Steady load on <paramref name="server"/>, sampling its RSS every <see cref="ConsoleSettings.MemorySampleInterval"/>.</summary>
    public static async Task<(List<RssSample> Samples, LoadResult Load)> ResidentOverTimeAsync(
        ServerProcess server, EndToEndSettings e2e, ConsoleSettings settings, Action<string> log)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(e2e);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(log);
        await using var load = await LoadGenerator.ConnectAsync(server.WebSocketUrl, e2e.Connections, CancellationToken.None);
        await load.RunAsync(settings.Rate, e2e.Warmup, e2e.Drain, CancellationToken.None);
        var samples = new List<RssSample>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var done = new CancellationTokenSource();
        var sampling = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                samples.Add(new RssSample(clock.Elapsed.TotalSeconds, server.ResidentMb()));
                try
                {
                    await Task.Delay(settings.MemorySampleInterval, done.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        });
        var result = await load.RunAsync(settings.Rate, settings.MemoryDuration, e2e.Drain, CancellationToken.None);
        await done.CancelAsync();
        await sampling;
        samples.Add(new RssSample(clock.Elapsed.TotalSeconds, server.ResidentMb()));
        log($"console on, steady {settings.Rate:F0} msg/s for {settings.MemoryDuration.TotalSeconds:F0} s: RSS {string.Join(", ", samples.Select(s => $"{s.RssMb:F0}"))} MB; {EndToEndBenchmarks.Describe(result)}");
        return (samples, result);
    }
}
