using System.Buffers;
using System.Text;
using System.Text.Json;

namespace SocketRelay.Infrastructure.Metrics;

/// <summary>One metric of an EMF document: its CloudWatch name and unit, and its values (at most <see cref="EmbeddedMetricFormat.MaxValuesPerMetric"/>).</summary>
internal sealed record EmfMetric(string Name, string Unit, IReadOnlyList<double> Values);

/// <summary>
/// Writes CloudWatch Embedded Metric Format documents, as the EMF specification defines them
/// (docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html)
/// and Powertools for AWS Lambda writes them: one JSON object per line,
/// <c>{"_aws":{"Timestamp":ms,"CloudWatchMetrics":[{"Namespace":…,"Dimensions":[[keys]],"Metrics":[{"Name":…,"Unit":…}]}]},
/// "dimension key":"value",…,"metric name":value or [values]}</c>. Written with
/// <see cref="Utf8JsonWriter"/>: no reflection, so Native AOT keeps working.
/// </summary>
internal static class EmbeddedMetricFormat
{
    /// <summary>The specification's limit on the MetricDefinitions of one directive.</summary>
    public const int MaxMetricsPerDocument = 100;

    /// <summary>The specification's limit on the values of one metric in one document.</summary>
    public const int MaxValuesPerMetric = 100;

    /// <summary>
    /// The lines for <paramref name="metrics"/>: as few documents as the limits allow, each metric
    /// name at most once per document, each line ending with <c>\n</c>. Nothing for no metrics.
    /// </summary>
    public static string Lines(string metricsNamespace, DateTimeOffset timestamp, IReadOnlyList<KeyValuePair<string, string>> dimensions, IEnumerable<EmfMetric> metrics)
    {
        var documents = new List<List<EmfMetric>>();
        foreach (var metric in metrics.SelectMany(SplitValues))
        {
            var document = documents.FirstOrDefault(d => d.Count < MaxMetricsPerDocument && d.TrueForAll(m => m.Name != metric.Name));
            if (document is null)
            {
                document = [];
                documents.Add(document);
            }

            document.Add(metric);
        }

        var lines = new StringBuilder();
        foreach (var document in documents)
        {
            lines.Append(Document(metricsNamespace, timestamp, dimensions, document)).Append('\n');
        }

        return lines.ToString();
    }

    private static IEnumerable<EmfMetric> SplitValues(EmfMetric metric) =>
        metric.Values.Count <= MaxValuesPerMetric
            ? [metric]
            : metric.Values.Chunk(MaxValuesPerMetric).Select(values => metric with { Values = values });

    private static string Document(string metricsNamespace, DateTimeOffset timestamp, IReadOnlyList<KeyValuePair<string, string>> dimensions, List<EmfMetric> metrics)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("_aws");
            json.WriteNumber("Timestamp", timestamp.ToUnixTimeMilliseconds());
            json.WriteStartArray("CloudWatchMetrics");
            json.WriteStartObject();
            json.WriteString("Namespace", metricsNamespace);
            json.WriteStartArray("Dimensions");
            json.WriteStartArray();
            foreach (var dimension in dimensions)
            {
                json.WriteStringValue(dimension.Key);
            }

            json.WriteEndArray();
            json.WriteEndArray();
            json.WriteStartArray("Metrics");
            foreach (var metric in metrics)
            {
                json.WriteStartObject();
                json.WriteString("Name", metric.Name);
                json.WriteString("Unit", metric.Unit);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();

            foreach (var dimension in dimensions)
            {
                json.WriteString(dimension.Key, dimension.Value);
            }

            foreach (var metric in metrics)
            {
                if (metric.Values.Count == 1)
                {
                    json.WriteNumber(metric.Name, metric.Values[0]);
                    continue;
                }

                json.WriteStartArray(metric.Name);
                foreach (var value in metric.Values)
                {
                    json.WriteNumberValue(value);
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// The CloudWatch unit (a <c>StandardUnit</c> of the CloudWatch API) for an instrument's .NET
    /// unit: UCUM time units, bytes and percent map to their CloudWatch names; a count (no unit, <c>1</c>, or
    /// an annotation such as <c>{reply}</c>) is <c>Count</c> for a counter and <c>None</c> otherwise.
    /// </summary>
    public static string CloudWatchUnit(string? unit, bool isCounter) => unit switch
    {
        "us" => "Microseconds",
        "ms" => "Milliseconds",
        "s" => "Seconds",
        "By" => "Bytes",
        "%" => "Percent",
        null or "" or "1" => isCounter ? "Count" : "None",
        _ when unit.StartsWith('{') && unit.EndsWith('}') => "Count",
        _ => "None",
    };
}
