using System.Text.Json;
using SocketRelay.Application.Metrics;
using SocketRelay.Infrastructure.Metrics;
using SocketRelay.TestSupport;

namespace SocketRelay.Infrastructure.Tests.Metrics;

public class EmbeddedMetricsExporterTests
{
    [Fact]
    public void An_invocation_is_one_emf_line_carrying_exactly_its_outcomes()
    {
        using var harness = new ExporterHarness();
        harness.Flush(); // the cold start
        harness.Metrics.RecordBatch(ExporterHarness.Result(delivered: 4, gone: 1, parked: 1, heldBack: 2), TimeSpan.FromMilliseconds(123.5));
        for (var i = 0; i < 4; i++)
        {
            harness.Metrics.RecordNotificationRetry();
        }

        var line = EmfSpecification.AssertValid(Assert.Single(harness.Flush()));

        var aws = line.GetProperty("_aws");
        Assert.Equal(ExporterHarness.Now.ToUnixTimeMilliseconds(), aws.GetProperty("Timestamp").GetInt64());
        var directive = Assert.Single(aws.GetProperty("CloudWatchMetrics").EnumerateArray());
        Assert.Equal("SocketRelay", directive.GetProperty("Namespace").GetString());
        Assert.Equal("[[\"service\"]]", directive.GetProperty("Dimensions").GetRawText());
        Assert.Equal("relay", line.GetProperty("service").GetString());
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["RepliesDelivered"] = "Count",
                ["ConnectionsGone"] = "Count",
                ["BatchItemFailures"] = "Count",
                ["MessagesParked"] = "Count",
                ["NotificationRetries"] = "Count",
                ["BatchDuration"] = "Milliseconds",
            },
            directive.GetProperty("Metrics").EnumerateArray().ToDictionary(m => m.GetProperty("Name").GetString()!, m => m.GetProperty("Unit").GetString()!));
        Assert.Equal(4, line.GetProperty(FunctionMetrics.RepliesDelivered).GetDouble());
        Assert.Equal(1, line.GetProperty(FunctionMetrics.ConnectionsGone).GetDouble());
        Assert.Equal(3, line.GetProperty(FunctionMetrics.BatchItemFailures).GetDouble());
        Assert.Equal(1, line.GetProperty(FunctionMetrics.MessagesParked).GetDouble());
        Assert.Equal(4, line.GetProperty(FunctionMetrics.NotificationRetries).GetDouble());
        Assert.Equal(123.5, line.GetProperty(FunctionMetrics.BatchDuration).GetDouble());
    }

    [Fact]
    public void ColdStart_is_written_once_in_a_line_of_its_own_with_the_function_name_dimension()
    {
        using var harness = new ExporterHarness();
        harness.Metrics.RecordBatch(ExporterHarness.Result(delivered: 1), TimeSpan.FromMilliseconds(5));

        var first = harness.Flush().Select(EmfSpecification.AssertValid).ToList();
        harness.Metrics.RecordBatch(ExporterHarness.Result(delivered: 1), TimeSpan.FromMilliseconds(5));
        var second = harness.Flush().Select(EmfSpecification.AssertValid).ToList();

        Assert.Equal(2, first.Count);
        var coldStart = first[0];
        Assert.Equal(1, coldStart.GetProperty("ColdStart").GetDouble());
        var directive = Assert.Single(coldStart.GetProperty("_aws").GetProperty("CloudWatchMetrics").EnumerateArray());
        Assert.Equal("[[\"service\",\"function_name\"]]", directive.GetProperty("Dimensions").GetRawText());
        Assert.Equal("[{\"Name\":\"ColdStart\",\"Unit\":\"Count\"}]", directive.GetProperty("Metrics").GetRawText());
        Assert.Equal("socketrelay-production-relay", coldStart.GetProperty("function_name").GetString());
        Assert.False(first[1].TryGetProperty("ColdStart", out _));
        Assert.False(first[1].TryGetProperty("function_name", out _));
        Assert.DoesNotContain(second, line => line.TryGetProperty("ColdStart", out _));
        Assert.Single(second);
    }

    [Fact]
    public void Totals_start_from_zero_at_each_invocation_and_untouched_counters_are_written_as_zero()
    {
        using var harness = new ExporterHarness();
        harness.Flush();
        harness.Metrics.RecordBatch(ExporterHarness.Result(delivered: 7), TimeSpan.FromMilliseconds(1));
        harness.Flush();

        harness.Metrics.RecordNotificationRetry();
        var line = EmfSpecification.AssertValid(Assert.Single(harness.Flush()));

        Assert.Equal(1, line.GetProperty(FunctionMetrics.NotificationRetries).GetDouble());
        Assert.Equal(0, line.GetProperty(FunctionMetrics.RepliesDelivered).GetDouble());
        Assert.False(line.TryGetProperty(FunctionMetrics.BatchDuration, out _), "a histogram without values is left out");
    }

    [Fact]
    public void An_invocation_that_measured_nothing_writes_no_line_after_the_cold_start()
    {
        using var harness = new ExporterHarness();

        var coldStart = Assert.Single(harness.Flush());

        Assert.Contains("\"ColdStart\":1", coldStart, StringComparison.Ordinal);
        Assert.Empty(harness.Flush());
    }

    [Fact]
    public void Each_composition_in_one_process_publishes_only_its_own_measurements()
    {
        using var mine = new ExporterHarness();
        using var other = new ExporterHarness();
        mine.Flush();
        other.Flush();

        other.Metrics.RecordBatch(ExporterHarness.Result(delivered: 9), TimeSpan.FromMilliseconds(1));
        mine.Metrics.RecordBatch(ExporterHarness.Result(delivered: 2), TimeSpan.FromMilliseconds(1));

        Assert.Equal(2, EmfSpecification.AssertValid(Assert.Single(mine.Flush())).GetProperty(FunctionMetrics.RepliesDelivered).GetDouble());
        Assert.Equal(9, EmfSpecification.AssertValid(Assert.Single(other.Flush())).GetProperty(FunctionMetrics.RepliesDelivered).GetDouble());
    }

    [Fact]
    public void Disabled_metrics_write_nothing_not_even_the_cold_start()
    {
        using var harness = new ExporterHarness(new EmbeddedMetricsSettings { Enabled = false, Service = "relay" });
        harness.Metrics.RecordBatch(ExporterHarness.Result(delivered: 1), TimeSpan.FromMilliseconds(1));

        Assert.Empty(harness.Flush());
    }

    [Fact]
    public void Without_a_service_name_there_is_no_service_dimension_as_in_powertools()
    {
        using var harness = new ExporterHarness(new EmbeddedMetricsSettings { Namespace = "Shop/Relay" });
        harness.Metrics.RecordBatch(ExporterHarness.Result(delivered: 1), TimeSpan.FromMilliseconds(1));

        var lines = harness.Flush().Select(EmfSpecification.AssertValid).ToList();

        Assert.All(lines, line => Assert.False(line.TryGetProperty("service", out _)));
        var directive = lines[1].GetProperty("_aws").GetProperty("CloudWatchMetrics")[0];
        Assert.Equal("Shop/Relay", directive.GetProperty("Namespace").GetString());
        Assert.Equal("[[]]", directive.GetProperty("Dimensions").GetRawText());
    }

    [Fact]
    public void More_values_than_one_document_may_hold_are_spread_over_lines_that_each_meet_the_specification()
    {
        using var harness = new ExporterHarness();
        harness.Flush();
        for (var i = 0; i < 250; i++)
        {
            harness.Metrics.RecordBatch(ExporterHarness.Result(delivered: 1), TimeSpan.FromMilliseconds(i));
        }

        var lines = harness.Flush().Select(EmfSpecification.AssertValid).ToList();

        Assert.Equal(3, lines.Count);
        var durations = lines.SelectMany(line => Values(line, FunctionMetrics.BatchDuration)).ToList();
        Assert.Equal(Enumerable.Range(0, 250).Select(i => (double)i), durations);
        Assert.Equal([250d], lines.SelectMany(line => Values(line, FunctionMetrics.RepliesDelivered)));
    }

    private static List<double> Values(JsonElement line, string metric) =>
        !line.TryGetProperty(metric, out var value) ? []
        : value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().Select(v => v.GetDouble()).ToList()
        : [value.GetDouble()];
}
