using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using SocketRelay.Domain.Delivery;
using SocketRelay.TestSupport;

namespace SocketRelay.Infrastructure.Tests.Connections;

public sealed class ConnectionsApiNotifierRequestTests : IAsyncLifetime
{
    // API Gateway connection ids are base64: '+', '/' and '=' must survive the trip through the path.
    private const string Base64ConnectionId = "L0SM9cOF+vHc/CIhw=";
    private const string AwkwardMessage = "& + % = \" \\ é 𝄞";
    private const string SessionToken = "IQoJb3JpZ2luX2VjEXAMPLE//token+with/slashes==";

    private static readonly DateTimeOffset Now = new(2024, 5, 6, 7, 8, 9, TimeSpan.Zero);

    private FakeConnectionsApi _api = null!;

    public async Task InitializeAsync() => _api = await FakeConnectionsApi.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    /// <summary>Sends one reply (<see cref="AwkwardMessage"/> to <see cref="Base64ConnectionId"/>) to the stage and returns what the endpoint received.</summary>
    private async Task<(DeliveryResult Result, ConnectionsRequest Request)> SendOneAsync(string stage, string? sessionToken = null)
    {
        using var harness = new NotifierHarness(new Uri(_api.BaseAddress, stage), new FakeTimeProvider(Now), sessionToken);
        var result = await harness.Notifier.SendAsync(NotifierHarness.ReplyTo(Base64ConnectionId, AwkwardMessage), Now.AddMinutes(1), CancellationToken.None);
        return (result, Assert.Single(_api.Requests));
    }

    [Fact]
    public async Task Posts_the_reply_envelope_as_json_to_the_stage_connections_path_of_the_url_encoded_id()
    {
        var (result, request) = await SendOneAsync("prod", SessionToken);

        Assert.True(result.IsDone);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/prod/@connections/L0SM9cOF%2BvHc%2FCIhw%3D", request.RawTarget);
        Assert.Equal("application/json", request.Header("Content-Type"));
        Assert.Equal(
            """{"connectionId":"L0SM9cOF+vHc/CIhw=","requestId":"Lo8hYGF2oAMFXvQ=","message":"& + % = \" \\ é \uD834\uDD1E"}""",
            Encoding.UTF8.GetString(request.Body));

        using var parsed = JsonDocument.Parse(request.Body);
        var message = parsed.RootElement.GetProperty("message").GetString();
        Assert.Equal(Encoding.UTF8.GetBytes(AwkwardMessage), Encoding.UTF8.GetBytes(message!));
        Assert.Equal(Base64ConnectionId, parsed.RootElement.GetProperty("connectionId").GetString());
    }

    [Fact]
    public async Task Signs_for_execute_api_in_the_region_with_the_session_token_and_the_signature_verifies()
    {
        var (_, request) = await SendOneAsync("prod", SessionToken);

        Assert.Equal("20240506T070809Z", request.Header("X-Amz-Date"));
        Assert.Equal(SessionToken, request.Header("X-Amz-Security-Token"));
        var authorization = IndependentSigV4Verifier.Parse(request.Header("Authorization"));
        Assert.Equal(
            $"{NotifierHarness.AccessKey}/20240506/{NotifierHarness.Region}/execute-api/aws4_request",
            $"{authorization.AccessKey}/{authorization.Date}/{authorization.Region}/{authorization.Service}/{authorization.Terminator}");
        Assert.Equal(["host", "x-amz-date", "x-amz-security-token"], authorization.SignedHeaders);
        Assert.Equal(IndependentSigV4Verifier.ExpectedSignature(request, NotifierHarness.SecretKey), authorization.Signature);
    }

    [Fact]
    public async Task Without_a_session_token_sends_no_token_header_and_the_signature_still_verifies()
    {
        var (_, request) = await SendOneAsync("dev/");

        Assert.Equal("/dev/@connections/L0SM9cOF%2BvHc%2FCIhw%3D", request.RawTarget);
        Assert.False(request.Headers.ContainsKey("X-Amz-Security-Token"));
        var authorization = IndependentSigV4Verifier.Parse(request.Header("Authorization"));
        Assert.Equal(["host", "x-amz-date"], authorization.SignedHeaders);
        Assert.Equal(IndependentSigV4Verifier.ExpectedSignature(request, NotifierHarness.SecretKey), authorization.Signature);
    }

    [Fact]
    public async Task A_signature_made_with_another_secret_does_not_verify()
    {
        var (_, request) = await SendOneAsync("prod");

        Assert.NotEqual(
            IndependentSigV4Verifier.ExpectedSignature(request, "another-secret"),
            IndependentSigV4Verifier.Parse(request.Header("Authorization")).Signature);
    }
}
