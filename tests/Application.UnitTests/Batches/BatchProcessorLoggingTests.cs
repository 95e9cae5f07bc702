using Microsoft.Extensions.Logging;
using SocketRelay.Domain.Delivery;
using static SocketRelay.Application.UnitTests.Batches.BatchFixture;

namespace SocketRelay.Application.UnitTests.Batches;

public class BatchProcessorLoggingTests
{
    private const string SecretBody = "{\"card\":\"4111-1111\"}";

    [Fact]
    public async Task Every_log_line_about_a_message_carries_its_ids_as_structured_properties()
    {
        var fixture = new BatchFixture().Script("req-7", DeliveryResult.Transient("429 throttled"));

        await fixture.RunAsync([Message("req-7", "grp", connection: "L0SM9cOFvHcCIhw=")]);

        var warning = Assert.Single(fixture.Logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Warning);
        var scope = Assert.IsType<IReadOnlyList<KeyValuePair<string, object?>>>(Assert.Single(warning.Scopes), exactMatch: false);
        var properties = scope.ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal("req-7", properties["message_id"]);
        Assert.Equal("grp", properties["message_group_id"]);
        Assert.Equal("L0SM9cOFvHcCIhw=", properties["connection_id"]);
        Assert.Equal("req-7", properties["request_id"]);
        Assert.Contains("429 throttled", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Message_bodies_are_logged_at_debug_only()
    {
        var fixture = new BatchFixture().Script("m1", DeliveryResult.Transient("500"));

        await fixture.RunAsync([Message("m1", "g", body: SecretBody)]);

        var records = fixture.Logger.Collector.GetSnapshot();
        Assert.Contains(records, r => r.Level == LogLevel.Debug && r.Message.Contains(SecretBody, StringComparison.Ordinal));
        Assert.DoesNotContain(fixture.Logger.AtOrAbove(LogLevel.Information), r => r.Message.Contains(SecretBody, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_gone_client_is_logged_at_information_not_as_a_failure()
    {
        var fixture = new BatchFixture().Script("m1", DeliveryResult.Gone);

        await fixture.RunAsync([Message("m1", "g", connection: "gone-conn")]);

        Assert.Contains(fixture.Logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Information && r.Message.Contains("gone-conn", StringComparison.Ordinal));
        Assert.Empty(fixture.Logger.AtOrAbove(LogLevel.Warning));
    }

    [Fact]
    public async Task Holding_back_a_group_is_logged_with_the_number_of_messages_held()
    {
        var fixture = new BatchFixture().Script("m1", DeliveryResult.Transient("429"));

        await fixture.RunAsync([Message("m1", "g"), Message("m2", "g"), Message("m3", "g")]);

        Assert.Contains(fixture.Logger.AtOrAbove(LogLevel.Warning), r => r.Message.Contains("2 later messages of group g held back", StringComparison.Ordinal));
    }
}
