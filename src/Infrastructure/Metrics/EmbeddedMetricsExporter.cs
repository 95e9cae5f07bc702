using System.Diagnostics.Metrics;
using SocketRelay.Application.Metrics;

namespace SocketRelay.Infrastructure.Metrics;

/// <summary>
/// Publishes the function's metrics as CloudWatch Embedded Metric Format lines on the function's
/// output (stdout in Lambda, which CloudWatch Logs turns into metrics), the way Powertools for AWS
/// Lambda Metrics does: the measurements of one invocation are summed (counters) or listed
/// (histograms) and written as one EMF line when the runtime loop calls <see cref="Flush"/> at the
/// end of the invocation, before its response is posted. The first flush of an execution
/// environment also writes <c>ColdStart</c> = 1 in a line of its own, with the <c>function_name</c>
/// dimension next to <c>service</c>, as Powertools' cold-start metric.
/// </summary>
/// <remarks>
/// A <see cref="MeterListener"/> sees every instrument of the process; this one enables only the
/// instruments of the <see cref="FunctionMetrics.MeterName"/> meter created by its own composition's
/// <see cref="IMeterFactory"/> (<see cref="Meter.Scope"/>), so several execution environments in
/// one process (the local gateway) each publish exactly their own invocations. Counters are written
/// in every line once anything was measured in the invocation, 0 when untouched; an invocation that
/// measured nothing (an event that is not an SQS event) writes no line. Tags are not dimensions.
/// </remarks>
public sealed class EmbeddedMetricsExporter : IDisposable
{
    public const string ColdStartMetric = "ColdStart";
    public const string ServiceDimension = "service";
    public const string FunctionNameDimension = "function_name";

    private readonly EmbeddedMetricsSettings _settings;
    private readonly List<KeyValuePair<string, string>> _dimensions = [];
    private readonly List<KeyValuePair<string, string>> _coldStartDimensions = [];
    private readonly TextWriter _output;
    private readonly TimeProvider _timeProvider;
    private readonly MeterListener? _listener;
    private readonly Lock _gate = new();
    private readonly List<InstrumentTotal> _instruments = [];
    private bool _measured;
    private bool _coldStart = true;

    /// <param name="meterFactory">The composition's own factory, the one <see cref="FunctionMetrics"/> was created with.</param>
    /// <param name="settings">Namespace, dimensions and the on/off switch.</param>
    /// <param name="output">Where the lines go; written one whole line per call and flushed, under a lock on the writer.</param>
    /// <param name="timeProvider">The clock of <c>_aws.Timestamp</c>.</param>
    public EmbeddedMetricsExporter(IMeterFactory meterFactory, EmbeddedMetricsSettings settings, TextWriter output, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _settings = settings;
        _output = output;
        _timeProvider = timeProvider;
        if (settings.Service is { } service)
        {
            _dimensions.Add(KeyValuePair.Create(ServiceDimension, service));
        }

        _coldStartDimensions.AddRange(_dimensions);
        if (settings.FunctionName is { } functionName)
        {
            _coldStartDimensions.Add(KeyValuePair.Create(FunctionNameDimension, functionName));
        }

        if (!settings.Enabled)
        {
            return;
        }

        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, meterFactory) && instrument.Meter.Name == FunctionMetrics.MeterName)
                {
                    var total = new InstrumentTotal(instrument);
                    lock (_gate)
                    {
                        _instruments.Add(total);
                    }

                    listener.EnableMeasurementEvents(instrument, total);
                }
            },
        };
        _listener.SetMeasurementEventCallback<long>((_, value, _, state) => Record(state, value));
        _listener.SetMeasurementEventCallback<int>((_, value, _, state) => Record(state, value));
        _listener.SetMeasurementEventCallback<double>((_, value, _, state) => Record(state, value));
        _listener.Start();
    }

    /// <summary>
    /// Writes the lines of the invocation that just ended (the <c>ColdStart</c> line first on the
    /// first call) and starts the next invocation's totals from zero. Does nothing when metrics are
    /// disabled.
    /// </summary>
    public void Flush()
    {
        if (_listener is null)
        {
            return;
        }

        bool coldStart;
        List<EmfMetric> metrics = [];
        lock (_gate)
        {
            coldStart = _coldStart;
            _coldStart = false;
            if (_measured)
            {
                foreach (var instrument in _instruments)
                {
                    if (instrument.TakeValues() is { Count: > 0 } values)
                    {
                        metrics.Add(new EmfMetric(instrument.Name, instrument.Unit, values));
                    }
                }
            }

            _measured = false;
        }

        var now = _timeProvider.GetUtcNow();
        var lines = EmbeddedMetricFormat.Lines(_settings.Namespace, now, _dimensions, metrics);
        if (coldStart)
        {
            lines = EmbeddedMetricFormat.Lines(_settings.Namespace, now, _coldStartDimensions, [new EmfMetric(ColdStartMetric, "Count", [1])]) + lines;
        }

        if (lines.Length == 0)
        {
            return;
        }

        lock (_output)
        {
            _output.Write(lines);
            _output.Flush();
        }
    }

    public void Dispose() => _listener?.Dispose();

    private void Record(object? state, double value)
    {
        lock (_gate)
        {
            ((InstrumentTotal)state!).Add(value);
            _measured = true;
        }
    }

    /// <summary>One instrument's measurements since the last flush: every value for a histogram, a running sum otherwise.</summary>
    private sealed class InstrumentTotal(Instrument instrument)
    {
        private readonly bool _isCounter = instrument is not (Histogram<long> or Histogram<int> or Histogram<double>);
        private readonly List<double> _values = [];
        private double _sum;

        public string Name { get; } = instrument.Name;

        public string Unit => EmbeddedMetricFormat.CloudWatchUnit(instrument.Unit, _isCounter);

        public void Add(double value)
        {
            if (_isCounter)
            {
                _sum += value;
            }
            else
            {
                _values.Add(value);
            }
        }

        /// <summary>The counter's sum (0 when untouched) or the histogram's values, then resets.</summary>
        public List<double> TakeValues()
        {
            if (_isCounter)
            {
                var sum = _sum;
                _sum = 0;
                return [sum];
            }

            var values = new List<double>(_values);
            _values.Clear();
            return values;
        }
    }
}
