using System.Text.Json;
using Xunit;

namespace SocketRelay.TestSupport;

/// <summary>
/// The CloudWatch Embedded Metric Format specification, as assertions
/// (docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html):
/// the root is an object with an <c>_aws</c> metadata object holding <c>Timestamp</c> (milliseconds
/// since the epoch) and <c>CloudWatchMetrics</c> (MetricDirectives of <c>Namespace</c>,
/// <c>Dimensions</c> (DimensionSets of at most 30 keys) and <c>Metrics</c> (at most 100
/// MetricDefinitions of <c>Name</c>, optional <c>Unit</c> from CloudWatch's units, optional
/// <c>StorageResolution</c> 1 or 60)); the objects the specification defines have no other members;
/// every dimension key and metric name is a top-level member, a dimension's value a string and a
/// metric's value a number or an array of at most 100 numbers.
/// </summary>
public static class EmfSpecification
{
    /// <summary>CloudWatch's StandardUnit values (MetricDatum.Unit in the CloudWatch API reference).</summary>
    public static readonly HashSet<string> CloudWatchUnits =
    [
        "Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Megabytes", "Gigabytes", "Terabytes",
        "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent", "Count",
        "Bytes/Second", "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second",
        "Bits/Second", "Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second", "Count/Second", "None",
    ];

    /// <summary>Whether a parsed output line is an EMF document (it has the <c>_aws</c> metadata member).</summary>
    public static bool IsDocument(JsonElement line) => line.ValueKind == JsonValueKind.Object && line.TryGetProperty("_aws", out _);

    /// <summary>Asserts that <paramref name="line"/> is one valid EMF document and returns its root.</summary>
    public static JsonElement AssertValid(string line)
    {
        using var document = JsonDocument.Parse(line);
        return AssertValid(document.RootElement).Clone();
    }

    /// <summary>Asserts that <paramref name="root"/> is a valid EMF document and returns it.</summary>
    public static JsonElement AssertValid(JsonElement root)
    {
        Assert.Equal(JsonValueKind.Object, root.ValueKind);
        var metadata = root.GetProperty("_aws");
        AssertOnlyMembers(metadata, "Timestamp", "CloudWatchMetrics", "LogGroupName");
        var timestamp = metadata.GetProperty("Timestamp");
        Assert.True(timestamp.TryGetInt64(out var milliseconds), "_aws.Timestamp must be a whole number of milliseconds");
        Assert.InRange(milliseconds, new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(), new DateTimeOffset(2100, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds());

        var directives = metadata.GetProperty("CloudWatchMetrics");
        Assert.Equal(JsonValueKind.Array, directives.ValueKind);
        Assert.NotEqual(0, directives.GetArrayLength());
        foreach (var directive in directives.EnumerateArray())
        {
            AssertValidDirective(root, directive);
        }

        return root;
    }

    private static void AssertValidDirective(JsonElement root, JsonElement directive)
    {
        AssertOnlyMembers(directive, "Namespace", "Dimensions", "Metrics");
        Assert.InRange(directive.GetProperty("Namespace").GetString()!.Length, 1, 255);

        foreach (var dimensionSet in directive.GetProperty("Dimensions").EnumerateArray())
        {
            Assert.InRange(dimensionSet.GetArrayLength(), 0, 30);
            foreach (var key in dimensionSet.EnumerateArray())
            {
                var value = root.GetProperty(key.GetString()!);
                Assert.Equal(JsonValueKind.String, value.ValueKind);
                Assert.InRange(value.GetString()!.Length, 1, 1024);
            }
        }

        var metrics = directive.GetProperty("Metrics");
        Assert.InRange(metrics.GetArrayLength(), 1, 100);
        var names = new HashSet<string>();
        foreach (var metric in metrics.EnumerateArray())
        {
            AssertOnlyMembers(metric, "Name", "Unit", "StorageResolution");
            var name = metric.GetProperty("Name").GetString()!;
            Assert.InRange(name.Length, 1, 255);
            Assert.True(names.Add(name), $"metric {name} defined twice in one directive");
            if (metric.TryGetProperty("Unit", out var unit))
            {
                Assert.Contains(unit.GetString()!, CloudWatchUnits);
            }

            if (metric.TryGetProperty("StorageResolution", out var resolution))
            {
                Assert.True(resolution.GetInt32() is 1 or 60, "StorageResolution must be 1 or 60");
            }

            AssertMetricValue(root.GetProperty(name), name);
        }
    }

    private static void AssertMetricValue(JsonElement value, string name)
    {
        if (value.ValueKind == JsonValueKind.Array)
        {
            Assert.InRange(value.GetArrayLength(), 1, 100);
            Assert.All(value.EnumerateArray(), v => Assert.Equal(JsonValueKind.Number, v.ValueKind));
            return;
        }

        Assert.True(value.ValueKind == JsonValueKind.Number, $"the value of metric {name} must be a number or an array of numbers");
    }

    private static void AssertOnlyMembers(JsonElement element, params string[] allowed)
    {
        Assert.Equal(JsonValueKind.Object, element.ValueKind);
        Assert.All(element.EnumerateObject(), member => Assert.Contains(member.Name, allowed));
    }
}
