using System.Globalization;
using System.Text;

namespace SocketRelay.Bench;

/// <summary>The summary table: each figure, its goal, and whether it is met.</summary>
public static class ResultTable
{
    private static readonly (string Key, string Unit, string Goal, Func<double, bool>? Met)[] Rows =
    [
        ("batch_speedup_vs_sequential", "×", "≥ 6× (10 groups)", v => v >= 6),
        ("batch_speedup_vs_sequential_3_groups", "×", "(3 groups: ≤ 10/4 = 2.5×)", null),
        ("batch_speedup_vs_sequential_1_groups", "×", "(1 group: 1×, FIFO)", null),
        ("aot_cold_start_ms", "ms", "≤ 50 ms", v => v <= 50),
        ("jit_cold_start_ms", "ms", "", null),
        ("aot_vs_jit_cold_start_ratio", "", "≤ 0.2", v => v <= 0.2),
        ("aot_rss_mb", "MB", "≤ 40 MB", v => v <= 40),
        ("function_zip_mb", "MB", "≤ 10 MB", v => v <= 10),
        ("e2e_msgs_per_s", "msg/s", "≥ 5,000 msg/s", v => v >= 5000),
        ("e2e_p50_ms", "ms", "", null),
        ("e2e_p95_ms", "ms", "", null),
        ("e2e_p99_ms", "ms", "≤ 25 ms", v => v <= 25),
        ("e2e_vs_serverless_offline_ratio", "", "> 1", v => v > 1),
    ];

    public static string Render(IReadOnlyDictionary<string, double> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"| {"figure",-38} | {"value",12} | {"goal",-26} | met |");
        text.AppendLine(CultureInfo.InvariantCulture, $"|{new string('-', 40)}|{new string('-', 14)}|{new string('-', 28)}|-----|");
        foreach (var (key, unit, goal, met) in Rows)
        {
            if (results.TryGetValue(key, out var value))
            {
                var shown = (value >= 100 ? value.ToString("N0", CultureInfo.InvariantCulture) : value.ToString("0.###", CultureInfo.InvariantCulture)) + (unit.Length > 0 ? " " + unit : "");
                var verdict = met is null ? "" : met(value) ? "yes" : "NO";
                text.AppendLine(CultureInfo.InvariantCulture, $"| {key,-38} | {shown,12} | {goal,-26} | {verdict,-3} |");
            }
        }

        return text.ToString();
    }
}
