using System.Diagnostics;

namespace SocketRelay.Bench;

/// <summary>How long and how hard the end-to-end runs push.</summary>
/// <param name="Connections">WebSocket connections the load is dealt over.</param>
/// <param name="LatencyRate">Offered msg/s of the latency runs.</param>
/// <param name="Warmup">
/// Unjudged load at <paramref name="LatencyRate"/> before the latency runs: long enough for the JIT's
/// tier-1 recompilation to finish, which took ≈ 25 % of the gateway's CPU 11–26 s after its start.
/// </param>
/// <param name="Searches">Max-sustained searches against the local gateway; <c>e2e_msgs_per_s</c> is their median.</param>
/// <param name="SearchWarmup">
/// Unjudged load before a search, half of it at half the start rate and half at the start rate, so
/// that a fresh server's JIT tiers and thread pool have settled at that rate before its first judged step.
/// </param>
/// <param name="StartRate">First offered msg/s of a search; ×1.5 per passing step.</param>
/// <param name="SustainedP99LimitMs">A step whose p99 is above this (ms) is not sustained.</param>
/// <param name="BacklogToleranceSeconds">
/// A step is not sustained when its backlog (sent − answered) grows over the second half of the
/// sending phase by more than this many seconds' worth of the offered rate.
/// </param>
public sealed record EndToEndSettings(
    int Connections, double LatencyRate, TimeSpan Warmup, TimeSpan LatencyDuration, int LatencyRepeats,
    int Searches, TimeSpan SearchWarmup, TimeSpan StepDuration, TimeSpan Drain, double StartRate, double MaxRate, int Bisections,
    double SustainedP99LimitMs, double BacklogToleranceSeconds);

/// <summary>
/// End to end over real WebSockets: send → reply received. Latency at a fixed offered rate, and the
/// highest offered rate that is sustained (see <see cref="IsSustained"/>).
/// </summary>
public static class EndToEndBenchmarks
{
    public static async Task<List<LoadResult>> LatencyAsync(ServerProcess server, EndToEndSettings settings, Action<string> log)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(log);
        await using var load = await LoadGenerator.ConnectAsync(server.WebSocketUrl, settings.Connections, CancellationToken.None);
        log($"{server.Name}: {settings.Connections} connections open; warming up at {settings.LatencyRate:F0} msg/s");
        await load.RunAsync(settings.LatencyRate, settings.Warmup, settings.Drain, CancellationToken.None);
        var runs = new List<LoadResult>();
        for (var i = 0; i < settings.LatencyRepeats; i++)
        {
            var result = await load.RunAsync(settings.LatencyRate, settings.LatencyDuration, settings.Drain, CancellationToken.None);
            log($"{server.Name}: latency run {i + 1}: {Describe(result)}");
            runs.Add(result);
        }

        return runs;
    }

    /// <summary>
    /// Raises the offered rate ×1.5 from <see cref="EndToEndSettings.StartRate"/> until a step fails, then
    /// bisects <see cref="EndToEndSettings.Bisections"/> times between the last pass and the first failure.
    /// Every step starts on an idle server: after each step the generator waits until all it sent has been
    /// answered (<see cref="LoadGenerator.WaitUntilAnsweredAsync"/>), and the gateway's queue until it is empty.
    /// </summary>
    public static async Task<(LoadResult? Best, List<LoadResult> Steps)> MaxSustainedAsync(
        ServerProcess server, EndToEndSettings settings, HttpClient http, Action<string> log)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(log);
        await using var load = await LoadGenerator.ConnectAsync(server.WebSocketUrl, settings.Connections, CancellationToken.None);
        await load.RunAsync(settings.StartRate / 2, settings.SearchWarmup / 2, settings.Drain, CancellationToken.None);
        await load.RunAsync(settings.StartRate, settings.SearchWarmup / 2, settings.Drain, CancellationToken.None);
        await QuiesceAsync(load, server, http, log);
        var steps = new List<LoadResult>();
        LoadResult? best = null;
        double? failedAt = null;

        async Task<bool> TryRate(double rate)
        {
            var result = await load.RunAsync(rate, settings.StepDuration, settings.Drain, CancellationToken.None);
            var sustained = IsSustained(result, settings);
            log($"{server.Name}: step {rate,7:F0} msg/s offered: {Describe(result)} → {(sustained ? "sustained" : "not sustained")}");
            steps.Add(result);
            await QuiesceAsync(load, server, http, log);
            if (sustained && (best is null || result.AchievedPerSecond > best.AchievedPerSecond))
            {
                best = result;
            }

            return sustained;
        }

        var rate = settings.StartRate;
        while (rate <= settings.MaxRate)
        {
            if (!await TryRate(rate))
            {
                failedAt = rate;
                break;
            }

            rate *= 1.5;
        }

        // Below the start rate when even that failed (halving, at most 3 times, until a step passes);
        // then the bisections between the last pass and the first failure above it.
        var low = best?.OfferedPerSecond ?? 0;
        var halvings = 0;
        var bisections = 0;
        while (failedAt is { } high && (best is null ? halvings++ < 3 : bisections++ < settings.Bisections))
        {
            var middle = Math.Round((low + high) / 2 / 50) * 50;
            if (middle <= low || middle >= high)
            {
                break;
            }

            if (await TryRate(middle))
            {
                low = middle;
            }
            else
            {
                failedAt = middle;
            }
        }

        return (best, steps);
    }

    /// <summary>
    /// Lets the server finish what earlier steps left it: up to a minute for the replies (giving up after 5 s
    /// without one, as from a server that lost messages), then the gateway's queue.
    /// </summary>
    private static async Task QuiesceAsync(LoadGenerator load, ServerProcess server, HttpClient http, Action<string> log)
    {
        var left = load.Unanswered;
        var waiting = Stopwatch.StartNew();
        var unanswered = await load.WaitUntilAnsweredAsync(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(60), CancellationToken.None);
        if (unanswered > 0)
        {
            log($"{server.Name}: {unanswered} messages of earlier steps still unanswered (lost, or later than a minute); the next steps do not wait for them");
        }
        else if (left > 0)
        {
            log($"{server.Name}: {left} messages still unanswered after the step's drain, answered {waiting.Elapsed.TotalSeconds:F1} s later");
        }

        if (!await server.WaitForDrainedAsync(http, TimeSpan.FromSeconds(60)))
        {
            log($"{server.Name}: its queue still held messages a minute after the step; the next step starts anyway");
        }
    }

    /// <summary>
    /// A step is sustained when every message is answered, p99 ≤ <see cref="EndToEndSettings.SustainedP99LimitMs"/>,
    /// replies arrive at ≥ 95% of the offered rate, and the backlog did not grow over the second half
    /// of the sending phase by more than <see cref="EndToEndSettings.BacklogToleranceSeconds"/> of the
    /// offered rate. The last rule is judged from the generator's side, so it holds for every server,
    /// and it is what makes a 3-second step and a 10-second step agree: a backlog that grows slowly
    /// may still be answered within the p99 limit in a short step, but it grows all the same.
    /// </summary>
    public static bool IsSustained(LoadResult result, EndToEndSettings settings)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(settings);
        return result.Lost == 0
            && result.P99Ms <= settings.SustainedP99LimitMs
            && result.AchievedPerSecond >= 0.95 * result.OfferedPerSecond
            && result.BacklogGrowth <= settings.BacklogToleranceSeconds * result.OfferedPerSecond;
    }

    public static string Describe(LoadResult r) =>
        $"{r.Received}/{r.Sent} answered ({r.Lost} lost), {r.AchievedPerSecond:F0} msg/s, p50 {r.P50Ms:F1} ms, p95 {r.P95Ms:F1} ms, p99 {r.P99Ms:F1} ms, max {r.MaxMs:F1} ms, backlog {r.OutstandingMid} → {r.OutstandingEnd}";
}
