using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using SocketRelay.Infrastructure.Connections;
using SocketRelay.LocalGateway.ApiGateway;

namespace SocketRelay.LocalGateway.Tests.ApiGateway;

/// <summary>
/// <c>@connections</c> checks SigV4 as API Gateway does for IAM-authorized calls: every refusal is 403 with
/// AWS's error type and message, and nothing reaches the client.
/// </summary>
public sealed class ConnectionsApiSignatureTests : IAsyncLifetime
{
    private GatewayHarness _gateway = null!;

    public async Task InitializeAsync() => _gateway = await GatewayHarness.StartAsync();

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task An_unsigned_request_is_403_MissingAuthenticationToken()
    {
        var client = await _gateway.ConnectAsync();

        using var response = await _gateway.Http.PostAsync(new Uri($"/local/@connections/{Uri.EscapeDataString(client.ConnectionId)}", UriKind.Relative), new ByteArrayContent("unsigned"u8.ToArray()));

        await ConnectionsApiTests.AssertErrorAsync(response, HttpStatusCode.Forbidden, "MissingAuthenticationTokenException", "Missing Authentication Token");
        await AssertNothingReachedAsync(client);
    }

    [Fact]
    public async Task An_authorization_header_that_is_not_SigV4_is_403_IncompleteSignature()
    {
        var client = await _gateway.ConnectAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/local/@connections/{Uri.EscapeDataString(client.ConnectionId)}", UriKind.Relative))
        {
            Content = new ByteArrayContent("bearer"u8.ToArray()),
        };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer eyJhbGciOiJIUzI1NiJ9");

        using var response = await _gateway.Http.SendAsync(request);

        await ConnectionsApiTests.AssertErrorAsync(response, HttpStatusCode.Forbidden, "IncompleteSignatureException", "Authorization header requires 'Credential' parameter.");
        await AssertNothingReachedAsync(client);
    }

    [Fact]
    public async Task A_wrong_secret_is_403_InvalidSignature_showing_the_canonical_request_expected()
    {
        var client = await _gateway.ConnectAsync();

        using var response = await _gateway.SendSignedAsync(
            HttpMethod.Post, client.ConnectionId, "/local", new ByteArrayContent("forged"u8.ToArray()),
            ConnectionsApiCredentials.Default with { SecretAccessKey = "not-the-secret" });

        await ConnectionsApiTests.AssertErrorAsync(response, HttpStatusCode.Forbidden, "InvalidSignatureException", "The request signature we calculated does not match the signature you provided.");
        using var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains("The Canonical String for this request should have been\n'POST\n/local/%40connections/", body.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
        await AssertNothingReachedAsync(client);
    }

    [Fact]
    public async Task A_signature_for_another_region_is_403_InvalidSignature()
    {
        var client = await _gateway.ConnectAsync();

        using var response = await _gateway.SendSignedAsync(HttpMethod.Post, client.ConnectionId, "/local", new ByteArrayContent("x"u8.ToArray()), region: "eu-west-1");

        await ConnectionsApiTests.AssertErrorAsync(response, HttpStatusCode.Forbidden, "InvalidSignatureException", "Credential should be scoped to a valid region.");
        await AssertNothingReachedAsync(client);
    }

    [Fact]
    public async Task An_access_key_the_gateway_did_not_issue_is_403_UnrecognizedClient()
    {
        var client = await _gateway.ConnectAsync();

        using var response = await _gateway.SendSignedAsync(
            HttpMethod.Post, client.ConnectionId, "/local", new ByteArrayContent("x"u8.ToArray()),
            ConnectionsApiCredentials.Default with { AccessKeyId = "AKIAIOSFODNN7EXAMPLE" });

        await ConnectionsApiTests.AssertErrorAsync(response, HttpStatusCode.Forbidden, "UnrecognizedClientException", "The security token included in the request is invalid.");
        await AssertNothingReachedAsync(client);
        // AWS's message names no key; the gateway's log says which one it accepts.
        Assert.Contains(_gateway.Logs.Entries, entry => entry.Level == LogLevel.Warning
            && entry.Message.Contains("signed with access key AKIAIOSFODNN7EXAMPLE; this gateway accepts only SOCKETRELAYLOCALKEY (--access-key-id)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_session_token_given_to_the_function_is_accepted_and_any_other_token_is_403_UnrecognizedClient()
    {
        var client = await _gateway.ConnectAsync();

        using var foreign = await _gateway.SendSignedAsync(
            HttpMethod.Post, client.ConnectionId, "/local", new ByteArrayContent("x"u8.ToArray()), sessionToken: "a-token-from-elsewhere");
        await ConnectionsApiTests.AssertErrorAsync(foreign, HttpStatusCode.Forbidden, "UnrecognizedClientException", "The security token included in the request is invalid.");
        await AssertNothingReachedAsync(client);
        Assert.Contains(_gateway.Logs.Entries, entry => entry.Level == LogLevel.Warning
            && entry.Message.Contains("session token (X-Amz-Security-Token) this gateway did not issue", StringComparison.Ordinal)
            && entry.Message.Contains("unset AWS_SESSION_TOKEN", StringComparison.Ordinal));

        using var functions = await _gateway.SendSignedAsync(
            HttpMethod.Post, client.ConnectionId, "/local", new ByteArrayContent("from the function"u8.ToArray()), sessionToken: ConnectionsApiCredentials.SessionToken);
        Assert.Equal(HttpStatusCode.OK, functions.StatusCode);
        Assert.Equal("from the function", await client.ReceiveTextAsync());
    }

    [Theory]
    [InlineData(-6, "Signature expired: ")]
    [InlineData(6, "Signature not yet current: ")]
    public async Task A_signature_dated_more_than_5_minutes_off_is_403_InvalidSignature(int minutes, string message)
    {
        var client = await _gateway.ConnectAsync();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow.AddMinutes(minutes));

        using var response = await _gateway.SendSignedAsync(HttpMethod.Post, client.ConnectionId, "/local", new ByteArrayContent("x"u8.ToArray()), clock: clock);

        await ConnectionsApiTests.AssertErrorAsync(response, HttpStatusCode.Forbidden, "InvalidSignatureException", message);
        await AssertNothingReachedAsync(client);
    }

    [Fact]
    public async Task Signatures_from_either_side_of_midnight_are_each_checked_with_their_own_days_key()
    {
        // The signing key is derived from the signing day: a gateway that kept one day's key would refuse the other day.
        var lateEvening = new DateTimeOffset(2026, 11, 30, 23, 59, 0, TimeSpan.Zero);
        var gatewayClock = new FakeTimeProvider(lateEvening.AddMinutes(2));
        await using var gateway = await GatewayHarness.StartAsync(time: gatewayClock);
        var client = await gateway.ConnectAsync();

        foreach (var (signedAt, body) in new[] { (lateEvening.AddMinutes(2), "after midnight"), (lateEvening, "before midnight"), (lateEvening.AddMinutes(3), "after again") })
        {
            using var response = await gateway.SendSignedAsync(
                HttpMethod.Post, client.ConnectionId, "/local", new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(body)), clock: new FakeTimeProvider(signedAt));

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(body, await client.ReceiveTextAsync());
        }
    }

    [Fact]
    public async Task A_body_over_the_limit_is_413_before_its_signature_is_checked()
    {
        // The signature covers the body, so it is checked only once the body is known to fit; the header's
        // credential, scope and date are checked before the size.
        var client = await _gateway.ConnectAsync();

        using var forged = await _gateway.SendSignedAsync(
            HttpMethod.Post, client.ConnectionId, "/local", new ByteArrayContent(new byte[(128 * 1024) + 1]),
            ConnectionsApiCredentials.Default with { SecretAccessKey = "not-the-secret" });
        using var foreignKey = await _gateway.SendSignedAsync(
            HttpMethod.Post, client.ConnectionId, "/local", new ByteArrayContent(new byte[(128 * 1024) + 1]),
            ConnectionsApiCredentials.Default with { AccessKeyId = "AKIAOTHERKEY" });

        await ConnectionsApiTests.AssertErrorAsync(forged, HttpStatusCode.RequestEntityTooLarge, "PayloadTooLargeException");
        await ConnectionsApiTests.AssertErrorAsync(foreignKey, HttpStatusCode.Forbidden, "UnrecognizedClientException");
        await AssertNothingReachedAsync(client);
    }

    [Fact]
    public async Task A_body_changed_after_signing_is_403_InvalidSignature()
    {
        var client = await _gateway.ConnectAsync();
        var content = new ByteArrayContent("signed"u8.ToArray());
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_gateway.Http.BaseAddress!, $"/local/@connections/{Uri.EscapeDataString(client.ConnectionId)}")) { Content = content };
        await new SigV4Signer(new StaticAwsCredentialsProvider(new Amazon.Runtime.ImmutableCredentials(ConnectionsApiCredentials.DefaultAccessKeyId, ConnectionsApiCredentials.DefaultSecretAccessKey, null)), TimeProvider.System)
            .SignAsync(request, "us-east-1", "execute-api", CancellationToken.None);
        request.Content = new ByteArrayContent("tampered"u8.ToArray());

        using var response = await _gateway.Http.SendAsync(request);

        await ConnectionsApiTests.AssertErrorAsync(response, HttpStatusCode.Forbidden, "InvalidSignatureException");
        await AssertNothingReachedAsync(client);
    }

    /// <summary>A correctly signed post goes through next, and it is the first thing the client receives.</summary>
    private async Task AssertNothingReachedAsync(TestClient client)
    {
        using var delivered = await _gateway.PostAsync(client.ConnectionId, "signed"u8.ToArray());
        Assert.Equal(HttpStatusCode.OK, delivered.StatusCode);
        Assert.Equal("signed", await client.ReceiveTextAsync());
    }
}
