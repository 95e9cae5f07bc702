using System.Globalization;
using System.Text;

namespace SocketRelay.Bench;

/// <summary>The summary table: each figure, its goal, and whether it is met.</summary>
public static class ResultTable
{
    private static readonly (string Key, string Unit, string Goal, Func<double, IReadOnlyDictionary<string, double>, bool>? Met)[] Rows =
    [
        ("batch_speedup_vs_sequential", "×", "≥ 6× (10 groups)", (v, _) => v >= 6),
        ("batch_speedup_vs_sequential_3_groups", "×", "(3 groups: ≤ 10/4 = 2.5×)", null),
        ("batch_speedup_vs_sequential_1_groups", "×", "(1 group: 1×, FIFO)", null),
        ("aot_cold_start_ms", "ms", "≤ 50 ms", (v, _) => v <= 50),
        ("jit_cold_start_ms", "ms", "", null),
        ("aot_vs_jit_cold_start_ratio", "", "≤ 0.2", (v, _) => v <= 0.2),
        ("aot_rss_mb", "MB", "≤ 40 MB", (v, _) => v <= 40),
        ("function_zip_mb", "MB", "≤ 10 MB", (v, _) => v <= 10),
        ("e2e_msgs_per_s", "msg/s", "≥ 6,000 (median of 3)", (v, _) => v >= 6000),
        ("e2e_msgs_per_s_min", "msg/s", "(spread: lowest search)", null),
        ("e2e_msgs_per_s_max", "msg/s", "(spread: highest search)", null),
        ("e2e_ceiling_msgs_per_s", "msg/s", "(bare Kestrel echo)", null),
        ("e2e_vs_ceiling_ratio", "", "(ours / ceiling)", null),
        ("e2e_p50_ms", "ms", "", null),
        ("e2e_p95_ms", "ms", "", null),
        ("e2e_p99_ms", "ms", "≤ 15 ms", (v, _) => v <= 15),
        ("e2e_vs_serverless_offline_ratio", "", "> 1", (v, _) => v > 1),
        ("console_cpu_per_msg_ratio", "", "(on / off; ≤ 1.05)", (v, _) => v <= 1.05),
        ("console_rate_ratio", "", "≥ 0.95 (on / off, medians)", (v, _) => v >= 0.95),
        ("console_rss_start_mb", "MB", "", null),
        ("console_rss_end_mb", "MB", "", null),
        ("console_rss_growth_mb", "MB", "flat (peak ≤ +5% of start)", (v, r) => r.TryGetValue("console_rss_start_mb", out var start) && v <= 0.05 * start),
        ("backlog_ingest_ratio", "", "≥ 0.9 (vs empty queue)", (v, _) => v >= 0.9),
        ("backlog_p99_ms", "ms", "≤ 1.1 × empty p99", (v, r) => r.TryGetValue("backlog_empty_p99_ms", out var empty) && v <= 1.1 * empty),
        ("backlog_empty_p99_ms", "ms", "(empty queue)", null),
    ];

    /// <summary>
    /// The table's Markdown: a row for each figure in <paramref name="results"/>, and an "n/a" row for
    /// each in <paramref name="unmeasured"/> (a figure whose step ran but could not measure it; the
    /// reason is in the run's log and in the results file's <c>unmeasured</c>) and for each that is NaN
    /// (a percentile of no answered message). Figures of steps that did not run (<c>--only</c>) have no row.
    /// </summary>
    public static string Render(IReadOnlyDictionary<string, double> results, IReadOnlyDictionary<string, string>? unmeasured = null)
    {
        ArgumentNullException.ThrowIfNull(results);
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"| {"figure",-38} | {"value",12} | {"goal",-26} | met |");
        text.AppendLine(CultureInfo.InvariantCulture, $"|{new string('-', 40)}|{new string('-', 14)}|{new string('-', 28)}|-----|");
        foreach (var (key, unit, goal, met) in Rows)
        {
            if (results.TryGetValue(key, out var value) && !double.IsNaN(value))
            {
                var shown = (value >= 100 ? value.ToString("N0", CultureInfo.InvariantCulture) : value.ToString("0.###", CultureInfo.InvariantCulture)) + (unit.Length > 0 ? " " + unit : "");
                var verdict = met is null ? "" : met(value, results) ? "yes" : "NO";
                text.AppendLine(CultureInfo.InvariantCulture, $"| {key,-38} | {shown,12} | {goal,-26} | {verdict,-3} |");
            }
            else if (results.ContainsKey(key) || (unmeasured is not null && unmeasured.ContainsKey(key)))
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"| {key,-38} | {"n/a",12} | {goal,-26} | {"n/a",-3} |");
            }
        }

        return text.ToString();
    }
}
