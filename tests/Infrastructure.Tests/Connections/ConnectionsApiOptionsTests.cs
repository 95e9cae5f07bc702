using SocketRelay.Application.Configuration;
using SocketRelay.Infrastructure.Connections;

namespace SocketRelay.Infrastructure.Tests.Connections;

public class ConnectionsApiOptionsTests
{
    [Theory]
    [InlineData("https://abc123.execute-api.us-east-1.amazonaws.com/prod", "us-east-1")]
    [InlineData("http://127.0.0.1:8080/", "eu-west-3")]
    public void A_management_endpoint_and_a_region_are_valid(string endpoint, string region)
    {
        var options = new ConnectionsApiOptions { Endpoint = new Uri(endpoint), Region = region };

        options.Validate();
    }

    [Theory]
    [InlineData(null, "us-east-1", "Endpoint", "is required")]
    [InlineData("/prod", "us-east-1", "Endpoint", "absolute http or https")]
    [InlineData("ftp://example.com/prod", "us-east-1", "Endpoint", "absolute http or https")]
    [InlineData("https://example.com/prod?stage=1", "us-east-1", "Endpoint", "without query")]
    [InlineData("https://example.com/prod", null, "Region", "is required")]
    [InlineData("https://example.com/prod", " ", "Region", "is required")]
    [InlineData("https://example.com/prod", "US East 1", "Region", "such as us-east-1")]
    public void An_unusable_setting_is_named_with_what_is_wrong(string? endpoint, string? region, string setting, string reason)
    {
        var options = new ConnectionsApiOptions
        {
            Endpoint = endpoint is null ? null : new Uri(endpoint, UriKind.RelativeOrAbsolute),
            Region = region,
        };

        var exception = Assert.Throws<InvalidOptionsException>(options.Validate);

        Assert.Equal(setting, exception.ParamName);
        Assert.Contains(reason, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_unusable_setting_is_reported_at_once_by_name()
    {
        var exception = Assert.Throws<InvalidOptionsException>(new ConnectionsApiOptions { Endpoint = new Uri("ftp://example.com/prod"), Region = "US East 1" }.Validate);

        Assert.Equal(["Endpoint", "Region"], exception.Problems.Select(p => p.Name));
        Assert.Equal("Invalid ConnectionsApiOptions: Endpoint must be an absolute http or https URL (was 'ftp://example.com/prod'); Region must be an AWS region name such as us-east-1 (was 'US East 1')", exception.Message);
    }
}
