using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using NSubstitute;
using SocketRelay.Application.Metrics;
using SocketRelay.Application.Ports;
using SocketRelay.Domain.Delivery;
using SocketRelay.Domain.Identifiers;
using SocketRelay.Domain.Messages;
using SocketRelay.Infrastructure.Resilience;

namespace SocketRelay.Infrastructure.Tests.Resilience;

public class NotificationRetryMetricsTests
{
    [Fact]
    public async Task Every_retry_of_a_post_is_counted_and_a_first_time_success_counts_none()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meterFactory = services.GetRequiredService<IMeterFactory>();
        using var retries = new MetricCollector<long>(meterFactory, FunctionMetrics.MeterName, FunctionMetrics.NotificationRetries);
        var inner = Substitute.For<IConnectionNotifier>();
        inner.SendAsync(Arg.Any<Reply>(), Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>())
            .Returns(DeliveryResult.Transient("429"), DeliveryResult.Transient("503"), DeliveryResult.Delivered, DeliveryResult.Delivered);
        var options = new NotificationRetryOptions { BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(2), MinimumAttemptTime = TimeSpan.FromMilliseconds(1) };
        var notifier = new ResilientConnectionNotifier(inner, options, TimeProvider.System, NullLogger<ResilientConnectionNotifier>.Instance, new FunctionMetrics(meterFactory));
        var reply = new Reply(ConnectionId.Create("c"), RequestId.Create("r"), "{}");

        var retried = await notifier.SendAsync(reply, DateTimeOffset.UtcNow.AddMinutes(1), CancellationToken.None);
        var firstTime = await notifier.SendAsync(reply, DateTimeOffset.UtcNow.AddMinutes(1), CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Delivered, retried.Outcome);
        Assert.Equal(DeliveryOutcome.Delivered, firstTime.Outcome);
        Assert.Equal(2, retries.GetMeasurementSnapshot().Sum(m => m.Value));
    }
}
