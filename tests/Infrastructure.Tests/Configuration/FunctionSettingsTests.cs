using Microsoft.Extensions.Configuration;
using SocketRelay.Application.Configuration;
using SocketRelay.Infrastructure.Configuration;

namespace SocketRelay.Infrastructure.Tests.Configuration;

public class FunctionSettingsTests
{
    private static FunctionSettings Load(params (string Key, string? Value)[] values) =>
        FunctionSettings.Load(new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)))
            .Build());

    [Fact]
    public void The_endpoint_alone_is_enough_and_everything_else_has_production_defaults()
    {
        var settings = Load(("WEBSOCKET_API_ENDPOINT", "https://abc123.execute-api.eu-west-1.amazonaws.com/production"));

        Assert.Equal("https://abc123.execute-api.eu-west-1.amazonaws.com/production", settings.Endpoint.ToString());
        Assert.Equal("eu-west-1", settings.Region);
        Assert.Equal(10, settings.Batch.MaxConcurrentGroups);
        Assert.Equal(TimeSpan.FromSeconds(2), settings.Batch.DeadlineSafetyMargin);
        Assert.Equal(4, settings.Retry.MaxRetryAttempts);
    }

    [Fact]
    public void A_mistyped_SOCKETRELAY_variable_fails_the_start_with_the_setting_it_is_a_slip_of()
    {
        var error = Assert.Throws<InvalidOptionsException>(() => Load(
            ("WEBSOCKET_API_ENDPOINT", "http://127.0.0.1:9001/local"), ("AWS_REGION", "us-east-1"),
            ("SOCKETRELAY_MAX_CONCURENT_GROUPS", "5"), ("SOCKETRELAY_BANANA", "1"), ("SOCKETRELAY_RETRY_MAX_ATTEMPTS", "2")));

        Assert.Equal(
            [
                "SOCKETRELAY_BANANA is not a setting of this function: its SOCKETRELAY_* settings are SOCKETRELAY_MAX_CONCURRENT_GROUPS, SOCKETRELAY_DEADLINE_MARGIN_MS, SOCKETRELAY_RETRY_MAX_ATTEMPTS, SOCKETRELAY_RETRY_BASE_DELAY_MS, SOCKETRELAY_RETRY_MAX_DELAY_MS, SOCKETRELAY_RETRY_ATTEMPT_TIMEOUT_MS",
                "SOCKETRELAY_MAX_CONCURENT_GROUPS is not a setting of this function (did you mean SOCKETRELAY_MAX_CONCURRENT_GROUPS?)",
            ],
            error.Problems.Select(p => p.ToString()));
    }

    [Fact]
    public void Aws_region_wins_over_the_region_in_the_endpoint_host()
    {
        var settings = Load(("WEBSOCKET_API_ENDPOINT", "http://127.0.0.1:9001/local"), ("AWS_REGION", "us-east-2"));

        Assert.Equal("us-east-2", settings.Region);
        Assert.Equal("http://127.0.0.1:9001/local", settings.Endpoint.ToString());
    }

    [Fact]
    public void Tuning_variables_are_read()
    {
        var settings = Load(
            ("WEBSOCKET_API_ENDPOINT", "http://127.0.0.1:9001/local"), ("AWS_REGION", "us-east-1"),
            ("SOCKETRELAY_MAX_CONCURRENT_GROUPS", "3"), ("SOCKETRELAY_DEADLINE_MARGIN_MS", "1500"),
            ("SOCKETRELAY_RETRY_MAX_ATTEMPTS", "0"), ("SOCKETRELAY_RETRY_BASE_DELAY_MS", "50"),
            ("SOCKETRELAY_RETRY_MAX_DELAY_MS", "800"), ("SOCKETRELAY_RETRY_ATTEMPT_TIMEOUT_MS", "900"));

        Assert.Equal(3, settings.Batch.MaxConcurrentGroups);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), settings.Batch.DeadlineSafetyMargin);
        Assert.Equal(0, settings.Retry.MaxRetryAttempts);
        Assert.Equal(TimeSpan.FromMilliseconds(50), settings.Retry.BaseDelay);
        Assert.Equal(TimeSpan.FromMilliseconds(800), settings.Retry.MaxDelay);
        Assert.Equal(TimeSpan.FromMilliseconds(900), settings.Retry.AttemptTimeout);
    }

    [Fact]
    public void A_missing_endpoint_is_reported_by_name_with_an_example()
    {
        var error = Assert.Throws<InvalidOptionsException>(() => Load(("AWS_REGION", "us-east-1")));

        Assert.Contains("WEBSOCKET_API_ENDPOINT is required, e.g. https://{api-id}.execute-api.{region}.amazonaws.com/{stage}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var error = Assert.Throws<InvalidOptionsException>(() => Load(
            ("WEBSOCKET_API_ENDPOINT", "ftp://nope"), ("SOCKETRELAY_MAX_CONCURRENT_GROUPS", "0"), ("SOCKETRELAY_RETRY_BASE_DELAY_MS", "abc")));

        Assert.Contains("WEBSOCKET_API_ENDPOINT must be an absolute http(s) URL (was 'ftp://nope')", error.Message, StringComparison.Ordinal);
        Assert.Contains("AWS_REGION is required", error.Message, StringComparison.Ordinal);
        Assert.Contains("SOCKETRELAY_MAX_CONCURRENT_GROUPS must be a whole number of at least 1 (was '0')", error.Message, StringComparison.Ordinal);
        Assert.Contains("SOCKETRELAY_RETRY_BASE_DELAY_MS must be a whole number of at least 1 (was 'abc')", error.Message, StringComparison.Ordinal);
        Assert.Equal(
            ["WEBSOCKET_API_ENDPOINT", "AWS_REGION", "SOCKETRELAY_MAX_CONCURRENT_GROUPS", "SOCKETRELAY_RETRY_BASE_DELAY_MS"],
            error.Problems.Select(p => p.Name));
    }
}
