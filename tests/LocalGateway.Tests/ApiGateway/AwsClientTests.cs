using System.Net.WebSockets;
using System.Text.Json;
using SocketRelay.LocalGateway.ApiGateway;
using SocketRelay.LocalGateway.Tests.Gateway;

namespace SocketRelay.LocalGateway.Tests.ApiGateway;

/// <summary>
/// AWS's own clients against the local <c>@connections</c> API: the SDK for JavaScript v3
/// (<c>@aws-sdk/client-apigatewaymanagementapi</c>, pinned in tests/tools) and the AWS CLI (<c>aws</c>, from the
/// machine image). Each call succeeds, or fails with the exception AWS's own API Gateway would raise, for
/// connection ids with <c>+</c>, <c>/</c> and <c>=</c>.
/// </summary>
public sealed class AwsClientTests : IAsyncLifetime
{
    private const string Awkward = "ab+c/d=efGHIJ+/==";
    private readonly Queue<string> _ids = new([Awkward]);
    private readonly string _scratch = Path.Combine(Path.GetTempPath(), "socketrelay-awsclients-" + Guid.NewGuid().ToString("N"));
    private GatewayHarness _gateway = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_scratch);
        _gateway = await GatewayHarness.StartAsync(idSource: () => _ids.TryDequeue(out var id) ? id : Guid.NewGuid().ToString("N"));
        await TestTools.EnsureNpmToolsAsync();
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        Directory.Delete(_scratch, recursive: true);
    }

    [Fact]
    public async Task The_JavaScript_SDK_posts_gets_and_deletes_a_connection_whose_id_has_plus_slash_and_equals()
    {
        var client = await _gateway.ConnectAsync(userAgent: "sdk-test");
        Assert.Equal(Awkward, client.ConnectionId);

        var post = await JavaScriptAsync("post", client.ConnectionId, data: "from the SDK");
        Assert.Equal("from the SDK", await client.ReceiveTextAsync());
        var get = await JavaScriptAsync("get", client.ConnectionId);
        var delete = await JavaScriptAsync("delete", client.ConnectionId);

        Assert.True(post.GetProperty("ok").GetBoolean(), post.ToString());
        Assert.True(get.GetProperty("ok").GetBoolean(), get.ToString());
        Assert.Equal("sdk-test", get.GetProperty("result").GetProperty("Identity").GetProperty("UserAgent").GetString());
        Assert.True(get.GetProperty("result").TryGetProperty("ConnectedAt", out _), get.ToString());
        Assert.True(delete.GetProperty("ok").GetBoolean(), delete.ToString());
        Assert.Equal(WebSocketCloseStatus.NormalClosure, await client.ReceiveCloseAsync());
    }

    [Fact]
    public async Task The_JavaScript_SDK_raises_AWSs_exception_for_each_refusal()
    {
        var client = await _gateway.ConnectAsync();
        var defaults = ConnectionsApiCredentials.Default;

        await AssertJavaScriptErrorAsync("GoneException", 410, await JavaScriptAsync("post", "neverConnected", data: "x"));
        await AssertJavaScriptErrorAsync("ForbiddenException", 403, await JavaScriptAsync("post", client.ConnectionId, data: "x", endpoint: new Uri(_gateway.Http.BaseAddress!, "/production")));
        await AssertJavaScriptErrorAsync("PayloadTooLargeException", 413, await JavaScriptAsync("post", client.ConnectionId, dataLength: (128 * 1024) + 1));
        await AssertJavaScriptErrorAsync("InvalidSignatureException", 403, await JavaScriptAsync("post", client.ConnectionId, data: "x", credentials: defaults with { SecretAccessKey = "wrong" }));
        await AssertJavaScriptErrorAsync("InvalidSignatureException", 403, await JavaScriptAsync("post", client.ConnectionId, data: "x", region: "eu-west-1"));
        await AssertJavaScriptErrorAsync("UnrecognizedClientException", 403, await JavaScriptAsync("get", client.ConnectionId, credentials: defaults with { AccessKeyId = "AKIAIOSFODNN7EXAMPLE" }));

        using var delivered = await _gateway.PostAsync(client.ConnectionId, "only this"u8.ToArray());
        Assert.Equal("only this", await client.ReceiveTextAsync());
    }

    [Fact]
    public async Task The_JavaScript_SDK_raises_LimitExceededException_for_an_injected_throttle()
    {
        await using var throttled = await GatewayHarness.StartAsync(o => o.Faults = new ConnectionsFaultOptions { Rate = 1, StatusCodes = [429] });
        var client = await throttled.ConnectAsync();

        var result = await JavaScriptAsync("post", client.ConnectionId, data: "x", endpoint: throttled.ConnectionsEndpoint);

        await AssertJavaScriptErrorAsync("LimitExceededException", 429, result);
    }

    [Fact]
    public async Task The_AWS_CLI_posts_gets_and_deletes_a_connection_whose_id_has_plus_slash_and_equals()
    {
        var client = await _gateway.ConnectAsync();

        var post = await CliAsync(_gateway.ConnectionsEndpoint, "post-to-connection", "--connection-id", client.ConnectionId, "--data", "from the CLI");
        Assert.Equal("from the CLI", await client.ReceiveTextAsync());
        var get = await CliAsync(_gateway.ConnectionsEndpoint, "get-connection", "--connection-id", client.ConnectionId);
        var delete = await CliAsync(_gateway.ConnectionsEndpoint, "delete-connection", "--connection-id", client.ConnectionId);

        Assert.True(post.ExitCode == 0, post.Error);
        Assert.True(get.ExitCode == 0, get.Error);
        using var description = JsonDocument.Parse(get.Output);
        Assert.Equal("127.0.0.1", description.RootElement.GetProperty("Identity").GetProperty("SourceIp").GetString());
        Assert.True(delete.ExitCode == 0, delete.Error);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, await client.ReceiveCloseAsync());
    }

    [Fact]
    public async Task The_AWS_CLI_reports_AWSs_error_code_for_each_refusal()
    {
        var client = await _gateway.ConnectAsync();
        var tooLarge = Path.Combine(_scratch, "too-large.bin");
        await File.WriteAllBytesAsync(tooLarge, new byte[(128 * 1024) + 1]);
        await using var throttled = await GatewayHarness.StartAsync(o => o.Faults = new ConnectionsFaultOptions { Rate = 1, StatusCodes = [429] });
        var throttledClient = await throttled.ConnectAsync();

        AssertCliError("GoneException", await CliAsync(_gateway.ConnectionsEndpoint, "post-to-connection", "--connection-id", "neverConnected", "--data", "x"));
        AssertCliError("ForbiddenException", await CliAsync(new Uri(_gateway.Http.BaseAddress!, "/production"), "post-to-connection", "--connection-id", client.ConnectionId, "--data", "x"));
        AssertCliError("PayloadTooLargeException", await CliAsync(_gateway.ConnectionsEndpoint, "post-to-connection", "--connection-id", client.ConnectionId, "--data", "fileb://" + tooLarge));
        AssertCliError("LimitExceededException", await CliAsync(throttled.ConnectionsEndpoint, "post-to-connection", "--connection-id", throttledClient.ConnectionId, "--data", "x"));
    }

    private async Task<JsonElement> JavaScriptAsync(
        string operation, string connectionId, string? data = null, int? dataLength = null, Uri? endpoint = null,
        ConnectionsApiCredentials? credentials = null, string region = "us-east-1")
    {
        var signing = credentials ?? ConnectionsApiCredentials.Default;
        var request = JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["endpoint"] = (endpoint ?? _gateway.ConnectionsEndpoint).ToString().TrimEnd('/'),
            ["region"] = region,
            ["accessKeyId"] = signing.AccessKeyId,
            ["secretAccessKey"] = signing.SecretAccessKey,
            ["operation"] = operation,
            ["connectionId"] = connectionId,
            ["data"] = data,
            ["dataLength"] = dataLength,
        });
        var run = await TestTools.RunAsync("node", ["connections-client.mjs", request]);
        Assert.True(run.ExitCode == 0, $"node exited {run.ExitCode}: {run.Error}");
        return JsonDocument.Parse(run.Output).RootElement.Clone();
    }

    private static Task AssertJavaScriptErrorAsync(string name, int status, JsonElement result)
    {
        Assert.False(result.GetProperty("ok").GetBoolean(), result.ToString());
        Assert.Equal(name, result.GetProperty("name").GetString());
        Assert.Equal(status, result.GetProperty("status").GetInt32());
        return Task.CompletedTask;
    }

    /// <summary>
    /// <c>aws apigatewaymanagementapi …</c> with the gateway's credentials and region from the environment, one
    /// attempt (so a throttle is reported, not retried), and no shared config or credentials files.
    /// </summary>
    private Task<ToolRun> CliAsync(Uri endpoint, params string[] arguments) => TestTools.RunAsync(
        "aws",
        ["apigatewaymanagementapi", .. arguments, "--endpoint-url", endpoint.ToString().TrimEnd('/')],
        _scratch,
        new Dictionary<string, string?>
        {
            ["AWS_ACCESS_KEY_ID"] = ConnectionsApiCredentials.DefaultAccessKeyId,
            ["AWS_SECRET_ACCESS_KEY"] = ConnectionsApiCredentials.DefaultSecretAccessKey,
            ["AWS_DEFAULT_REGION"] = "us-east-1",
            ["AWS_SESSION_TOKEN"] = null,
            ["AWS_PROFILE"] = null,
            ["AWS_CONFIG_FILE"] = Path.Combine(_scratch, "no-config"),
            ["AWS_SHARED_CREDENTIALS_FILE"] = Path.Combine(_scratch, "no-credentials"),
            ["AWS_MAX_ATTEMPTS"] = "1",
            ["AWS_RETRY_MODE"] = "standard",
        });

    private static void AssertCliError(string errorCode, ToolRun run)
    {
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains($"An error occurred ({errorCode})", run.Error, StringComparison.Ordinal);
    }
}
