using Microsoft.Extensions.Configuration;
using SocketRelay.Application.Configuration;
using SocketRelay.Infrastructure.Configuration;

namespace SocketRelay.Infrastructure.Tests.Metrics;

public class EmbeddedMetricsSettingsTests
{
    private static FunctionSettings Load(params (string Key, string? Value)[] values) =>
        FunctionSettings.Load(new ConfigurationBuilder()
            .AddInMemoryCollection(values
                .Append(("WEBSOCKET_API_ENDPOINT", "https://abc123.execute-api.eu-west-1.amazonaws.com/production"))
                .Select(v => new KeyValuePair<string, string?>(v.Item1, v.Item2)))
            .Build());

    [Fact]
    public void By_default_metrics_are_on_in_the_SocketRelay_namespace_without_dimensions()
    {
        var metrics = Load().Metrics;

        Assert.True(metrics.Enabled);
        Assert.Equal("SocketRelay", metrics.Namespace);
        Assert.Null(metrics.Service);
        Assert.Null(metrics.FunctionName);
    }

    [Fact]
    public void The_powertools_variables_set_namespace_service_and_function_name()
    {
        var metrics = Load(
            ("POWERTOOLS_METRICS_NAMESPACE", "Shop"), ("POWERTOOLS_SERVICE_NAME", "relay"),
            ("AWS_LAMBDA_FUNCTION_NAME", "socketrelay-production-relay")).Metrics;

        Assert.Equal("Shop", metrics.Namespace);
        Assert.Equal("relay", metrics.Service);
        Assert.Equal("socketrelay-production-relay", metrics.FunctionName);
    }

    [Fact]
    public void POWERTOOLS_METRICS_FUNCTION_NAME_wins_over_the_lambda_function_name()
    {
        var metrics = Load(("AWS_LAMBDA_FUNCTION_NAME", "socketrelay-production-relay"), ("POWERTOOLS_METRICS_FUNCTION_NAME", "relay")).Metrics;

        Assert.Equal("relay", metrics.FunctionName);
    }

    [Theory]
    [InlineData("true", false)]
    [InlineData("TRUE", false)]
    [InlineData("false", true)]
    public void POWERTOOLS_METRICS_DISABLED_switches_metrics(string value, bool enabled)
    {
        Assert.Equal(enabled, Load(("POWERTOOLS_METRICS_DISABLED", value)).Metrics.Enabled);
    }

    [Fact]
    public void Invalid_values_are_reported_by_variable_name_at_once()
    {
        var error = Assert.Throws<InvalidOptionsException>(() => Load(
            ("POWERTOOLS_METRICS_DISABLED", "yes"),
            ("POWERTOOLS_METRICS_NAMESPACE", "AWS/Lambda"),
            ("POWERTOOLS_SERVICE_NAME", new string('s', 1025))));

        Assert.Equal(["POWERTOOLS_METRICS_DISABLED", "POWERTOOLS_METRICS_NAMESPACE", "POWERTOOLS_SERVICE_NAME"], error.Problems.Select(p => p.Name));
        Assert.Contains("POWERTOOLS_METRICS_DISABLED must be true or false (was 'yes')", error.Message, StringComparison.Ordinal);
        Assert.Contains("POWERTOOLS_METRICS_NAMESPACE must be", error.Message, StringComparison.Ordinal);
        Assert.Contains("POWERTOOLS_SERVICE_NAME must be at most 1024", error.Message, StringComparison.Ordinal);
    }
}
