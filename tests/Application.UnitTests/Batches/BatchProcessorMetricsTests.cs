using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;
using SocketRelay.Application.Metrics;
using SocketRelay.Domain.Delivery;
using static SocketRelay.Application.UnitTests.Batches.BatchFixture;

namespace SocketRelay.Application.UnitTests.Batches;

public class BatchProcessorMetricsTests
{
    [Fact]
    public async Task A_batch_records_exactly_its_outcomes_and_its_duration()
    {
        var time = new FakeTimeProvider();
        var fixture = new BatchFixture { Time = time }
            .Script("delivered", _ =>
            {
                time.Advance(TimeSpan.FromMilliseconds(250));
                return ValueTask.FromResult(DeliveryResult.Delivered);
            })
            .Script("gone", DeliveryResult.Gone)
            .Script("too-large", DeliveryResult.Permanent("413 payload too large"))
            .Script("throttled", DeliveryResult.Transient("429"));
        using var metrics = new Collectors(fixture);

        var result = await fixture.RunAsync(
        [
            Message("delivered", "A"),
            Message("gone", "B"),
            Message("too-large", "C"),
            Message("throttled", "D"),
            Message("held-back", "D"),
        ]);

        Assert.Equal(["too-large", "throttled", "held-back"], result.FailedIds());
        Assert.Equal(1, metrics.Sum(FunctionMetrics.RepliesDelivered));
        Assert.Equal(1, metrics.Sum(FunctionMetrics.ConnectionsGone));
        Assert.Equal(1, metrics.Sum(FunctionMetrics.MessagesParked));
        Assert.Equal(3, metrics.Sum(FunctionMetrics.BatchItemFailures));
        Assert.Equal(0, metrics.Sum(FunctionMetrics.NotificationRetries));
        Assert.Equal([250d], metrics.Durations());
    }

    [Fact]
    public async Task A_malformed_record_counts_as_parked_and_as_a_batch_item_failure()
    {
        var fixture = new BatchFixture();
        using var metrics = new Collectors(fixture);

        await fixture.RunAsync([Invalid("poison", "G"), Message("after", "G")]);

        Assert.Equal(1, metrics.Sum(FunctionMetrics.MessagesParked));
        Assert.Equal(1, metrics.Sum(FunctionMetrics.BatchItemFailures));
        Assert.Equal(1, metrics.Sum(FunctionMetrics.RepliesDelivered));
    }

    [Fact]
    public async Task A_batch_given_up_at_the_deadline_records_every_message_as_a_failure()
    {
        var time = new FakeTimeProvider();
        var fixture = new BatchFixture { Time = time };
        using var metrics = new Collectors(fixture);

        await fixture.Processor().ProcessAsync([Message("m1", "g"), Message("m2", "g")], time.GetUtcNow());

        Assert.Equal(2, metrics.Sum(FunctionMetrics.BatchItemFailures));
        Assert.Equal(0, metrics.Sum(FunctionMetrics.RepliesDelivered));
        Assert.Single(metrics.Durations());
    }

    [Fact]
    public async Task Measurements_go_only_to_the_meter_of_the_processors_own_composition()
    {
        var mine = new BatchFixture();
        var other = new BatchFixture();
        using var metrics = new Collectors(mine);

        await other.RunAsync([Message("elsewhere", "g")]);
        await mine.RunAsync([Message("here", "g"), Message("here-too", "h")]);

        Assert.Equal(2, metrics.Sum(FunctionMetrics.RepliesDelivered));
    }

    /// <summary>One collector per instrument, listening to the fixture's own meter factory only.</summary>
    private sealed class Collectors(BatchFixture fixture) : IDisposable
    {
        private readonly Dictionary<string, MetricCollector<long>> _counters = new[]
        {
            FunctionMetrics.RepliesDelivered, FunctionMetrics.ConnectionsGone, FunctionMetrics.BatchItemFailures,
            FunctionMetrics.MessagesParked, FunctionMetrics.NotificationRetries,
        }.ToDictionary(name => name, name => new MetricCollector<long>(fixture.MeterFactory, FunctionMetrics.MeterName, name));

        private readonly MetricCollector<double> _duration = new(fixture.MeterFactory, FunctionMetrics.MeterName, FunctionMetrics.BatchDuration);

        public long Sum(string counter) => _counters[counter].GetMeasurementSnapshot().Sum(m => m.Value);

        public double[] Durations() => [.. _duration.GetMeasurementSnapshot().Select(m => m.Value)];

        public void Dispose()
        {
            foreach (var collector in _counters.Values)
            {
                collector.Dispose();
            }

            _duration.Dispose();
        }
    }
}
