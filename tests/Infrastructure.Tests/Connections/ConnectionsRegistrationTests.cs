using Amazon.Runtime;
using Microsoft.Extensions.DependencyInjection;
using SocketRelay.Application.Configuration;
using SocketRelay.Application.Ports;
using SocketRelay.Domain.Delivery;
using SocketRelay.Infrastructure.Connections;
using SocketRelay.TestSupport;

namespace SocketRelay.Infrastructure.Tests.Connections;

public class ConnectionsRegistrationTests
{
    [Fact]
    public async Task The_registered_notifier_posts_through_the_http_client_factory_with_the_configured_endpoint()
    {
        await using var api = await FakeConnectionsApi.StartAsync();
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<IAwsCredentialsProvider>(
            new StaticAwsCredentialsProvider(new ImmutableCredentials(NotifierHarness.AccessKey, NotifierHarness.SecretKey, null)));
        services.AddConnectionsApiNotifier(options =>
        {
            options.Endpoint = new Uri(api.BaseAddress, "stage");
            options.Region = "ap-south-1";
        });
        await using var provider = services.BuildServiceProvider();

        var notifier = provider.GetRequiredService<ConnectionsApiNotifier>();
        var result = await notifier.SendAsync(NotifierHarness.ReplyTo("abc="), DateTimeOffset.UtcNow.AddMinutes(1), CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Delivered, result.Outcome);
        var request = Assert.Single(api.Requests);
        Assert.Equal("/stage/@connections/abc%3D", request.RawTarget);
        Assert.Contains("/ap-south-1/execute-api/aws4_request", request.Header("Authorization"), StringComparison.Ordinal);
    }

    [Fact]
    public void The_notifier_is_registered_as_itself_so_the_composition_root_chooses_what_wraps_it()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddConnectionsApiNotifier(options =>
        {
            options.Endpoint = new Uri("https://abc123.execute-api.us-east-1.amazonaws.com/prod");
            options.Region = "us-east-1";
        });
        using var provider = services.BuildServiceProvider();

        Assert.NotNull(provider.GetService<ConnectionsApiNotifier>());
        Assert.IsType<DefaultAwsCredentialsProvider>(provider.GetRequiredService<IAwsCredentialsProvider>());
        Assert.Null(provider.GetService<IConnectionNotifier>());
    }

    [Fact]
    public void Invalid_options_fail_at_registration()
    {
        var services = new ServiceCollection();

        var exception = Assert.Throws<InvalidOptionsException>(
            () => services.AddConnectionsApiNotifier(options => options.Region = "us-east-1"));

        Assert.Equal(nameof(ConnectionsApiOptions.Endpoint), exception.ParamName);
    }
}
