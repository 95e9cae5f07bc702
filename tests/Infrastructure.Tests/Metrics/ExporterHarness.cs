using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SocketRelay.Application.Batches;
using SocketRelay.Application.Metrics;
using SocketRelay.Domain.Identifiers;
using SocketRelay.Infrastructure.Metrics;

namespace SocketRelay.Infrastructure.Tests.Metrics;

/// <summary>
/// One composition's metrics as the function composes them: its own <see cref="IMeterFactory"/>,
/// <see cref="FunctionMetrics"/> on it and an <see cref="EmbeddedMetricsExporter"/> writing to a
/// string on a fake clock.
/// </summary>
internal sealed class ExporterHarness : IDisposable
{
    public static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, 123, TimeSpan.Zero);

    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly StringWriter _output = new();
    private int _read;

    public ExporterHarness(EmbeddedMetricsSettings? settings = null)
    {
        var meterFactory = _services.GetRequiredService<IMeterFactory>();
        Metrics = new FunctionMetrics(meterFactory);
        Exporter = new EmbeddedMetricsExporter(meterFactory, settings ?? new EmbeddedMetricsSettings { Service = "relay", FunctionName = "socketrelay-production-relay" }, _output, Time);
    }

    public FakeTimeProvider Time { get; } = new(Now);

    public FunctionMetrics Metrics { get; }

    public EmbeddedMetricsExporter Exporter { get; }

    public static BatchResult Result(int delivered = 0, int gone = 0, int parked = 0, int heldBack = 0) =>
        new([.. Enumerable.Range(0, parked + heldBack).Select(i => MessageId.Create($"m{i}"))], delivered, gone, 0, parked);

    /// <summary>Flushes, and returns the lines written by that flush.</summary>
    public string[] Flush()
    {
        Exporter.Flush();
        return NewLines();
    }

    /// <summary>The lines written since the last read, without flushing.</summary>
    public string[] NewLines()
    {
        var text = _output.ToString();
        var written = text[_read..];
        _read = text.Length;
        Assert.True(written.Length == 0 || written.EndsWith('\n'), "every line ends with a newline");
        return written.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    public void Dispose()
    {
        Exporter.Dispose();
        _services.Dispose();
        _output.Dispose();
    }
}
