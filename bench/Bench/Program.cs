using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using SocketRelay.Bench;
using SocketRelay.LocalGateway.Hosting;

// The generator's socket completions run inline, as the gateway's do (ADR-040); the function benchmarks remove
// the variable their children would inherit.
SocketCompletions.UseInline();

// The ceiling's server: the driver re-run as a bare Kestrel WebSocket echo (see EchoServer).
if (args is [EchoServer.Switch, "--port", var echoPort])
{
    await EchoServer.RunAsync(int.Parse(echoPort, CultureInfo.InvariantCulture));
    return 0;
}

// Run by bench/run, which builds and passes the artifacts: see bench/README.md.
// A measurement that cannot run ends the driver non-zero with the reason; no JSON is written then.
AppDomain.CurrentDomain.UnhandledException += (_, e) =>
{
    Console.Error.WriteLine($"bench: a measurement could not run: {(e.ExceptionObject as Exception)?.Message}");
    Console.Error.WriteLine(e.ExceptionObject);
    Console.Error.Flush();
    Environment.Exit(1);
};
var options = BenchOptions.Parse(args);
var results = new Dictionary<string, double>(StringComparer.Ordinal);
var details = new Dictionary<string, object>(StringComparer.Ordinal);
var unmeasured = new Dictionary<string, string>(StringComparer.Ordinal); // figures whose step ran but could not measure them, and why
var started = DateTime.UtcNow;
void Log(string line) => Console.WriteLine($"[bench {DateTime.UtcNow - started:mm\\:ss}] {line}");

if (options.Runs("batch"))
{
    Log("batch: BatchProcessor vs the seed's sequential loop (BenchmarkDotNet, in-process)");
    var job = Job.Default
        .WithToolchain(InProcessEmitToolchain.DontLogOutput)
        .WithStrategy(RunStrategy.Monitoring)
        .WithLaunchCount(1)
        .WithWarmupCount(1)
        .WithIterationCount(options.Quick ? 5 : 15)
        .WithInvocationCount(1)
        .WithUnrollFactor(1);
    var config = ManualConfig.CreateEmpty()
        .AddJob(job)
        .AddColumnProvider(DefaultConfig.Instance.GetColumnProviders().ToArray())
        .AddLogger(NullLogger.Instance)
        .WithArtifactsPath(Path.Combine(options.Scratch, "BenchmarkDotNet.Artifacts"));
    var summary = BenchmarkRunner.Run<BatchBenchmarks>(config);
    MarkdownExporter.Console.ExportToLog(summary, ConsoleLogger.Default);
    var medians = summary.Reports.Where(r => r.ResultStatistics is not null).ToDictionary(
        r => (r.BenchmarkCase.Descriptor.WorkloadMethod.Name, (int)r.BenchmarkCase.Parameters["Groups"]),
        r => r.ResultStatistics!.Median / 1e6);
    foreach (var groups in new[] { 1, 3, 10 })
    {
        if (!medians.TryGetValue(("SequentialLoop", groups), out var sequential) || !medians.TryGetValue(("Processor", groups), out var processor))
        {
            return Fail($"batch benchmark with {groups} groups produced no result");
        }

        var key = groups == 10 ? "batch_speedup_vs_sequential" : $"batch_speedup_vs_sequential_{groups}_groups";
        results[key] = sequential / processor;
        details[$"batch_{groups}_groups_sequential_ms"] = sequential;
        details[$"batch_{groups}_groups_processor_ms"] = processor;
    }
}

if (options.Runs("function"))
{
    await using var connections = await ConnectionsStub.StartAsync();
    var aot = new FunctionCommand("aot", options.Require(options.AotBootstrap, "--aot"), "");
    var jit = new FunctionCommand("jit", "dotnet", $"\"{options.Require(options.JitDll, "--jit")}\"");
    var starts = options.Quick ? 10 : 25;
    var aotStarts = new List<double>();
    var jitStarts = new List<double>();

    // Interleaved, so that whatever else the machine is doing weighs on both alike.
    for (var round = 0; round < starts; round++)
    {
        aotStarts.AddRange(await FunctionBenchmarks.ColdStartsAsync(aot, 1, connections));
        jitStarts.AddRange(await FunctionBenchmarks.ColdStartsAsync(jit, 1, connections));
    }

    results["aot_cold_start_ms"] = Statistics.Median(aotStarts);
    results["jit_cold_start_ms"] = Statistics.Median(jitStarts);
    results["aot_vs_jit_cold_start_ratio"] = results["aot_cold_start_ms"] / results["jit_cold_start_ms"];
    details["aot_cold_starts_ms"] = aotStarts;
    details["jit_cold_starts_ms"] = jitStarts;
    Log($"cold start: AOT median {results["aot_cold_start_ms"]:F1} ms (min {aotStarts.Min():F1}, max {aotStarts.Max():F1}), JIT median {results["jit_cold_start_ms"]:F1} ms (min {jitStarts.Min():F1}, max {jitStarts.Max():F1}) over {starts} starts each");

    var rssRuns = new List<double>();
    for (var i = 0; i < (options.Quick ? 1 : 3); i++)
    {
        var (peakMb, elapsed) = await FunctionBenchmarks.PeakRssAsync(aot, 1000, connections);
        rssRuns.Add(peakMb);
        Log($"rss: AOT bootstrap peak RSS {peakMb:F1} MB over 1,000 batches of 10 ({elapsed.TotalSeconds:F1} s, {10_000 / elapsed.TotalSeconds:F0} msg/s through the Runtime API)");
    }

    results["aot_rss_mb"] = Statistics.Median(rssRuns);
    results["function_zip_mb"] = new FileInfo(options.Require(options.Zip, "--zip")).Length / 1024.0 / 1024.0;
    details["aot_bootstrap_mb"] = new FileInfo(aot.FileName).Length / 1024.0 / 1024.0;
}

using var http = new HttpClient();
var settings = options.EndToEnd();
var gatewayDll = options.Runs("e2e") || options.Runs("e2e-ours") || options.Runs("console") ? options.Require(options.GatewayDll, "--gateway") : "";
Task<ServerProcess> StartGatewayAsync(IReadOnlyDictionary<string, string>? environment = null) =>
    ServerProcess.StartGatewayAsync(gatewayDll, options.Scratch, options.Pollers, options.FunctionBinary, environment);

if (options.Runs("e2e") || options.Runs("e2e-ours"))
{
    // The latency runs on the first gateway; each sustained search on a fresh gateway (process and data directory).
    LoadResult? latency = null;
    var searches = new List<LoadResult>();
    var searchSteps = new List<List<LoadResult>>();
    for (var search = 1; search <= settings.Searches; search++)
    {
        await using var gateway = await StartGatewayAsync();
        Log($"e2e: local gateway pid {gateway.ProcessId}, {options.Pollers} pollers, function {(options.FunctionBinary is null ? "in-process" : options.FunctionBinary)}, search {search} of {settings.Searches}");
        if (latency is null)
        {
            var runs = await EndToEndBenchmarks.LatencyAsync(gateway, settings, Log);
            latency = MedianRun(runs);
            details["e2e_latency_runs"] = runs;
        }

        var (best, steps) = await EndToEndBenchmarks.MaxSustainedAsync(gateway, settings, http, Log);
        searches.Add(best ?? throw new InvalidOperationException($"the local gateway sustained no offered rate: {string.Join("; ", steps.Select(EndToEndBenchmarks.Describe))}"));
        searchSteps.Add(steps);
        Log($"e2e: search {search}: {best.AchievedPerSecond:F0} msg/s sustained");
    }

    if (latency!.Lost > 0)
    {
        Log($"warning: {latency.Lost} of {latency.Sent} messages unanswered in the latency run");
    }

    var rates = searches.Select(r => r.AchievedPerSecond).ToList();
    results["e2e_p50_ms"] = latency.P50Ms;
    results["e2e_p95_ms"] = latency.P95Ms;
    results["e2e_p99_ms"] = latency.P99Ms;
    results["e2e_msgs_per_s"] = Statistics.Median(rates);
    results["e2e_msgs_per_s_min"] = rates.Min();
    results["e2e_msgs_per_s_max"] = rates.Max();
    details["e2e_searches_msgs_per_s"] = rates;
    details["e2e_searches_best_steps"] = searches;
    details["e2e_searches_steps"] = searchSteps;
    details["e2e_latency_lost"] = latency.Lost;
    Log($"e2e: median of {rates.Count} searches {results["e2e_msgs_per_s"]:F0} msg/s (min {rates.Min():F0}, max {rates.Max():F0})");
}

if (options.Runs("e2e") || options.Runs("ceiling"))
{
    await using var echo = await ServerProcess.StartEchoAsync();
    Log($"ceiling: bare Kestrel WebSocket echo pid {echo.ProcessId}");
    var (best, steps) = await EndToEndBenchmarks.MaxSustainedAsync(echo, settings, http, Log);
    var ceiling = best ?? throw new InvalidOperationException($"the echo sustained no offered rate: {string.Join("; ", steps.Select(EndToEndBenchmarks.Describe))}");
    results["e2e_ceiling_msgs_per_s"] = ceiling.AchievedPerSecond;
    details["ceiling_steps"] = steps;
    if (results.TryGetValue("e2e_msgs_per_s", out var ours))
    {
        results["e2e_vs_ceiling_ratio"] = ours / ceiling.AchievedPerSecond;
        if (ours > ceiling.AchievedPerSecond)
        {
            // The echo does a fraction of the gateway's work per message, so it reads lower only
            // when something else took the cores during its search: the ratio then bounds nothing.
            Log($"warning: the ceiling ({ceiling.AchievedPerSecond:F0} msg/s) read below the gateway's {ours:F0} msg/s; something else used the cores during its search, so e2e_vs_ceiling_ratio bounds nothing in this run");
        }
    }
}

if (options.Runs("e2e") || options.Runs("e2e-theirs"))
{
    // As for the gateway, the search runs on a fresh process: an overloaded latency run can leave
    // serverless-offline answering its backlog for minutes, and the search would measure that.
    var serverlessOfflineDir = options.Require(options.ServerlessOfflineDir, "--serverless-offline");
    List<LoadResult> runs;
    await using (var offline = await ServerProcess.StartServerlessOfflineAsync(serverlessOfflineDir))
    {
        Log($"e2e: serverless-offline pid {offline.ProcessId} (latency)");
        runs = await EndToEndBenchmarks.LatencyAsync(offline, settings, Log);
    }

    var theirLatency = MedianRun(runs);
    if (theirLatency.Lost > 0)
    {
        // Past its capacity serverless-offline falls behind and may answer none at all: its percentiles are then NaN.
        Log($"warning: serverless-offline left {theirLatency.Lost} of {theirLatency.Sent} messages unanswered in its latency run");
    }

    details["serverless_offline_p50_ms"] = theirLatency.P50Ms;
    details["serverless_offline_p95_ms"] = theirLatency.P95Ms;
    details["serverless_offline_p99_ms"] = theirLatency.P99Ms;
    details["serverless_offline_latency_runs"] = runs;
    await using (var offline = await ServerProcess.StartServerlessOfflineAsync(serverlessOfflineDir))
    {
        Log($"e2e: serverless-offline pid {offline.ProcessId} (search)");
        var (best, steps) = await EndToEndBenchmarks.MaxSustainedAsync(offline, settings, http, Log);
        details["serverless_offline_steps"] = steps;
        if (best is null)
        {
            // The comparison failed, not the run: every other figure stands, and the ratio is left out.
            details["serverless_offline_msgs_per_s"] = 0.0;
            if (results.ContainsKey("e2e_msgs_per_s"))
            {
                unmeasured["e2e_vs_serverless_offline_ratio"] = $"serverless-offline sustained no offered rate, down to {steps[^1].OfferedPerSecond:F0} msg/s";
            }

            Log($"warning: serverless-offline sustained no offered rate, down to {steps[^1].OfferedPerSecond:F0} msg/s; e2e_vs_serverless_offline_ratio is left out");
        }
        else
        {
            details["serverless_offline_msgs_per_s"] = best.AchievedPerSecond;
            if (results.TryGetValue("e2e_msgs_per_s", out var ours))
            {
                results["e2e_vs_serverless_offline_ratio"] = ours / best.AchievedPerSecond;
            }
        }
    }
}

if (options.Runs("console"))
{
    var console = options.Console();
    await using var off = await StartGatewayAsync(ConsoleBenchmarks.ConsoleOff);
    await using var on = await StartGatewayAsync();
    Log($"console: gateway with the console off pid {off.ProcessId}, on pid {on.ProcessId}; {console.Rate:F0} msg/s over {settings.Connections} connections");
    var cpuRuns = await ConsoleBenchmarks.CpuPerMessageAsync(off, on, settings, console, Log);
    var cpuOff = Statistics.Median([.. cpuRuns.Where(r => !r.Console).Select(r => r.CpuMsPerMessage)]);
    var cpuOn = Statistics.Median([.. cpuRuns.Where(r => r.Console).Select(r => r.CpuMsPerMessage)]);
    results["console_cpu_per_msg_ratio"] = cpuOn / cpuOff;
    details["console_off_cpu_us_per_msg"] = cpuOff * 1000;
    details["console_on_cpu_us_per_msg"] = cpuOn * 1000;
    details["console_cpu_runs"] = cpuRuns;

    // Before the searches: an overloaded step grows the heap, which would blur what the steady run shows.
    var (samples, steady) = await ConsoleBenchmarks.ResidentOverTimeAsync(on, settings, console, Log);
    results["console_rss_start_mb"] = samples[0].RssMb;
    results["console_rss_end_mb"] = samples[^1].RssMb;
    // A garbage-collected heap saws up and down between collections: growth is the high-water mark of the
    // run's last third against that of its first third, not the last sample against the first.
    results["console_rss_growth_mb"] = ConsoleBenchmarks.PeakGrowthMb(samples);
    details["console_rss_samples"] = samples;
    details["console_rss_run"] = steady;

    // One search moves by ≈ ±10 %, twice the effect looked for: the rate ratio is of medians of interleaved searches.
    var (ratesOff, ratesOn, stepsOff, stepsOn) = (new List<double>(), new List<double>(), new List<List<LoadResult>>(), new List<List<LoadResult>>());
    for (var search = 0; search < console.Searches; search++)
    {
        foreach (var (server, rates, steps) in new[] { (off, ratesOff, stepsOff), (on, ratesOn, stepsOn) })
        {
            var (best, searched) = await EndToEndBenchmarks.MaxSustainedAsync(server, settings, http, Log);
            if (best is null)
            {
                return Fail("the console step's gateways sustained no offered rate");
            }

            rates.Add(best.AchievedPerSecond);
            steps.Add(searched);
        }
    }

    var (rateOff, rateOn) = (Statistics.Median(ratesOff), Statistics.Median(ratesOn));
    results["console_rate_ratio"] = rateOn / rateOff;
    details["console_off_msgs_per_s"] = rateOff;
    details["console_on_msgs_per_s"] = rateOn;
    details["console_off_searches_msgs_per_s"] = ratesOff;
    details["console_on_searches_msgs_per_s"] = ratesOn;
    details["console_off_steps"] = stepsOff;
    details["console_on_steps"] = stepsOn;
    Log($"console: CPU per message on/off {results["console_cpu_per_msg_ratio"]:F3} ({cpuOn * 1000:F1} / {cpuOff * 1000:F1} µs), sustained on/off {results["console_rate_ratio"]:F3} (medians {rateOn:F0} / {rateOff:F0} msg/s of {string.Join(", ", ratesOn.Select(r => r.ToString("F0", System.Globalization.CultureInfo.InvariantCulture)))} / {string.Join(", ", ratesOff.Select(r => r.ToString("F0", System.Globalization.CultureInfo.InvariantCulture)))}), RSS peak growth {results["console_rss_growth_mb"]:F1} MB");
}

if (options.Runs("backlog"))
{
    var backlog = options.Backlog();
    Log($"backlog: queue in-process, {backlog.Senders} senders into {backlog.Groups} groups, {backlog.Pollers} pollers, {backlog.Duration.TotalSeconds:F0} s phases; an unmeasured warm-up, then {backlog.Pairs} pairs of windows, empty queue and behind a held group");
    // The held queue's 100,000-message build warms the JIT and the thread pool: the same load on a
    // throwaway queue first gives the empty queue's first window that head start too.
    await BacklogBenchmarks.WarmUpAsync(options.Scratch, backlog, line => Log($"backlog: {line}"));
    var comparison = await BacklogBenchmarks.CompareAsync(options.Scratch, backlog, line => Log($"backlog: {line}"));
    Log($"backlog: empty queue, {backlog.Pairs} windows: {BacklogBenchmarks.Describe(comparison.Empty)}");
    Log($"backlog: behind the held group, {backlog.Pairs} windows: {BacklogBenchmarks.Describe(comparison.Held)}");
    Log($"backlog: ingest ratio {comparison.IngestRatio:F3} (the median pair); per pair {string.Join(", ", comparison.PairRatios.Select(r => r.ToString("F3", CultureInfo.InvariantCulture)))}");
    Log($"backlog: CPU per ingested message held / empty {comparison.IngestCpuRatio:F3} (the median pair)");
    results["backlog_ingest_ratio"] = comparison.IngestRatio;
    details["backlog_ingest_cpu_ratio"] = comparison.IngestCpuRatio;
    results["backlog_p99_ms"] = comparison.Held.P99Ms;
    results["backlog_empty_p99_ms"] = comparison.Empty.P99Ms;
    details["backlog_empty"] = comparison.Empty;
    details["backlog_held"] = comparison.Held;
    details["backlog_empty_windows"] = comparison.EmptyWindows;
    details["backlog_held_windows"] = comparison.HeldWindows;
    details["backlog_pair_ingest_ratios"] = comparison.PairRatios;
    details["backlog_build_sends_per_s"] = comparison.BuildPerSecond;
    details["backlog_messages"] = backlog.Backlog;
}

var document = new Dictionary<string, object>(StringComparer.Ordinal)
{
    ["mode"] = options.Quick ? "quick" : "full",
    ["finished_utc"] = DateTime.UtcNow.ToString("o", CultureInfo.InvariantCulture),
    ["machine"] = $"{Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}",
};
foreach (var (key, value) in results.OrderBy(r => r.Key, StringComparer.Ordinal))
{
    document[key] = Math.Round(value, 3);
}

if (unmeasured.Count > 0)
{
    document["unmeasured"] = unmeasured;
}

document["details"] = details;
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(options.Output))!);
await File.WriteAllTextAsync(options.Output, JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals }) + "\n");
Console.WriteLine();
Console.Write(ResultTable.Render(results, unmeasured));
Log($"wrote {options.Output}");
return 0;

static LoadResult MedianRun(List<LoadResult> runs) =>
    new(runs[0].OfferedPerSecond, runs.Sum(r => r.Sent), runs.Sum(r => r.Received), runs.Sum(r => r.Lost),
        Statistics.Median([.. runs.Select(r => r.AchievedPerSecond)]), Statistics.Median([.. runs.Select(r => r.P50Ms)]),
        Statistics.Median([.. runs.Select(r => r.P95Ms)]), Statistics.Median([.. runs.Select(r => r.P99Ms)]), runs.Max(r => r.MaxMs));

static int Fail(string message)
{
    Console.Error.WriteLine($"bench: {message}");
    return 1;
}
