using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using NSubstitute;
using SocketRelay.Domain.Delivery;
using SocketRelay.Infrastructure.Connections;
using SocketRelay.TestSupport;

namespace SocketRelay.Infrastructure.Tests.Connections;

public sealed class ConnectionsApiNotifierOutcomeTests : IAsyncLifetime
{
    private const string ConnectionId = "Nw8cKeOFvHcCIhw=";
    private static readonly TimeSpan Slow = TimeSpan.FromSeconds(8);

    private FakeConnectionsApi _api = null!;

    private Uri Endpoint => new(_api.BaseAddress, "prod");

    private static DateTimeOffset InAMinute => DateTimeOffset.UtcNow.AddMinutes(1);

    public async Task InitializeAsync() => _api = await FakeConnectionsApi.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Theory]
    [InlineData(200, DeliveryOutcome.Delivered)]
    [InlineData(204, DeliveryOutcome.Delivered)]
    [InlineData(410, DeliveryOutcome.Gone)]
    [InlineData(403, DeliveryOutcome.FailedPermanent)]
    [InlineData(413, DeliveryOutcome.FailedPermanent)]
    [InlineData(400, DeliveryOutcome.FailedPermanent)]
    [InlineData(429, DeliveryOutcome.FailedTransient)]
    [InlineData(500, DeliveryOutcome.FailedTransient)]
    [InlineData(503, DeliveryOutcome.FailedTransient)]
    public async Task Maps_the_status_code_to_a_delivery_outcome(int status, DeliveryOutcome expected)
    {
        _api.Respond = FakeConnectionsApi.AnswerWith(status, """{"message":"from the endpoint"}""");
        using var harness = new NotifierHarness(Endpoint);

        var result = await harness.Notifier.SendAsync(NotifierHarness.ReplyTo(ConnectionId), InAMinute, CancellationToken.None);

        Assert.Equal(expected, result.Outcome);
        Assert.Single(_api.Requests);
    }

    [Theory]
    [InlineData(403)]
    [InlineData(429)]
    [InlineData(503)]
    public async Task A_failure_detail_names_the_status_code_and_the_start_of_the_response_body(int status)
    {
        _api.Respond = FakeConnectionsApi.AnswerWith(status, """{"message":"Forbidden"}""" + new string('x', 2000));
        using var harness = new NotifierHarness(Endpoint);

        var result = await harness.Notifier.SendAsync(NotifierHarness.ReplyTo(ConnectionId), InAMinute, CancellationToken.None);

        Assert.Contains(status.ToString(System.Globalization.CultureInfo.InvariantCulture), result.Detail, StringComparison.Ordinal);
        Assert.Contains("""{"message":"Forbidden"}""", result.Detail, StringComparison.Ordinal);
        Assert.True(result.Detail!.Length < 400, $"detail should be short, was {result.Detail.Length} characters");
    }

    [Fact]
    public async Task Cancellation_by_the_caller_propagates_while_the_endpoint_is_slow()
    {
        _api.Respond = context => Task.Delay(Slow, context.RequestAborted);
        using var harness = new NotifierHarness(Endpoint);
        using var caller = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var elapsed = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            async () => await harness.Notifier.SendAsync(NotifierHarness.ReplyTo(ConnectionId), InAMinute, caller.Token));

        Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(4), $"took {elapsed.Elapsed}");
    }

    [Fact]
    public async Task An_http_client_timeout_is_a_transient_failure()
    {
        _api.Respond = context => Task.Delay(Slow, context.RequestAborted);
        using var harness = new NotifierHarness(Endpoint, httpTimeout: TimeSpan.FromMilliseconds(300));

        var result = await harness.Notifier.SendAsync(NotifierHarness.ReplyTo(ConnectionId), InAMinute, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.FailedTransient, result.Outcome);
        Assert.Contains("timed out", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_attempt_still_running_at_the_send_by_time_is_abandoned_as_transient()
    {
        _api.Respond = context => Task.Delay(Slow, context.RequestAborted);
        using var harness = new NotifierHarness(Endpoint);
        var elapsed = Stopwatch.StartNew();

        var result = await harness.Notifier.SendAsync(
            NotifierHarness.ReplyTo(ConnectionId), DateTimeOffset.UtcNow.AddMilliseconds(300), CancellationToken.None);

        Assert.Equal(DeliveryOutcome.FailedTransient, result.Outcome);
        Assert.Contains("send-by", result.Detail, StringComparison.Ordinal);
        Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(4), $"took {elapsed.Elapsed}");
    }

    [Fact]
    public async Task Nothing_is_sent_when_the_send_by_time_has_already_passed()
    {
        using var harness = new NotifierHarness(Endpoint);

        var result = await harness.Notifier.SendAsync(
            NotifierHarness.ReplyTo(ConnectionId), DateTimeOffset.UtcNow.AddSeconds(-1), CancellationToken.None);

        Assert.Equal(DeliveryOutcome.FailedTransient, result.Outcome);
        Assert.Empty(_api.Requests);
    }

    [Fact]
    public async Task A_refused_connection_is_a_transient_failure()
    {
        using var harness = new NotifierHarness(new Uri($"http://127.0.0.1:{UnusedLoopbackPort()}/prod"));

        var result = await harness.Notifier.SendAsync(NotifierHarness.ReplyTo(ConnectionId), InAMinute, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.FailedTransient, result.Outcome);
        Assert.Contains("refused", result.Detail, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_connection_dropped_before_the_answer_is_a_transient_failure()
    {
        _api.Respond = context =>
        {
            context.Abort();
            return Task.CompletedTask;
        };
        using var harness = new NotifierHarness(Endpoint);

        var result = await harness.Notifier.SendAsync(NotifierHarness.ReplyTo(ConnectionId), InAMinute, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.FailedTransient, result.Outcome);
    }

    [Fact]
    public async Task Missing_credentials_are_a_permanent_failure_and_nothing_is_sent()
    {
        var credentials = Substitute.For<IAwsCredentialsProvider>();
        credentials.GetCredentialsAsync(Arg.Any<CancellationToken>())
            .Returns(ValueTask.FromException<ImmutableCredentials>(new AmazonClientException("Failed to resolve AWS credentials.")));
        using var harness = new NotifierHarness(Endpoint, credentials: credentials);

        var result = await harness.Notifier.SendAsync(NotifierHarness.ReplyTo(ConnectionId), InAMinute, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.FailedPermanent, result.Outcome);
        Assert.Contains("credentials", result.Detail, StringComparison.Ordinal);
        Assert.Empty(_api.Requests);
    }

    private static int UnusedLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
