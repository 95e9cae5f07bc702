using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using Amazon.SQS;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace SocketRelay.LocalGateway.Tests.Queue.Sqs;

/// <summary>
/// A loopback HTTP server that answers like SQS on the AWS JSON 1.0 protocol the SDK speaks
/// (<c>POST /</c>, <c>X-Amz-Target: AmazonSQS.&lt;Operation&gt;</c>, a JSON body). It records every
/// request; each test says how an operation answers, and an operation it did not expect fails.
/// </summary>
internal sealed class FakeSqsEndpoint : IAsyncDisposable
{
    public const string QueueUrl = "https://sqs.eu-west-1.amazonaws.com/123456789012/relay.fifo";
    public const string DeadLetterQueueArn = "arn:aws:sqs:eu-west-1:123456789012:relay-dlq.fifo";
    public const string DeadLetterQueueUrl = "https://sqs.eu-west-1.amazonaws.com/123456789012/relay-dlq.fifo";

    private const string TargetPrefix = "AmazonSQS.";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<SqsCall> _calls = new();
    private readonly ConcurrentDictionary<string, Func<JsonElement, SqsReply>> _handlers = new(StringComparer.Ordinal);

    private FakeSqsEndpoint(WebApplication app)
    {
        _app = app;
        _app.MapPost("/", HandleAsync);
    }

    public Uri Url { get; private set; } = null!;

    public IReadOnlyList<SqsCall> Calls => [.. _calls];

    public static async Task<FakeSqsEndpoint> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var endpoint = new FakeSqsEndpoint(builder.Build());
        await endpoint._app.StartAsync();
        endpoint.Url = new Uri(endpoint._app.Urls.Single());
        return endpoint;
    }

    /// <summary>How <paramref name="operation"/> answers from now on.</summary>
    public void On(string operation, Func<JsonElement, SqsReply> handler) => _handlers[operation] = handler;

    public void On(string operation, SqsReply reply) => On(operation, _ => reply);

    public SqsCall Single(string operation) => Assert.Single(Calls, call => call.Operation == operation);

    /// <summary>An SDK client with fixed credentials, one attempt per call and a short timeout.</summary>
    public AmazonSQSClient CreateClient() => new(
        new BasicAWSCredentials("test-access-key", "test-secret-key"),
        new AmazonSQSConfig { ServiceURL = Url.ToString(), AuthenticationRegion = "eu-west-1", MaxErrorRetry = 0, Timeout = TimeSpan.FromSeconds(10) });

    /// <summary>The digest SQS returns so the SDK can check the body arrived intact.</summary>
    [SuppressMessage("Security", "CA5351", Justification = "MD5 is what the SQS protocol uses for its body digests.")]
    public static string Md5Hex(string text) =>
        Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var raw = await reader.ReadToEndAsync();
        var target = context.Request.Headers["X-Amz-Target"].ToString();
        var operation = target.StartsWith(TargetPrefix, StringComparison.Ordinal) ? target[TargetPrefix.Length..] : target;
        var body = JsonDocument.Parse(raw.Length == 0 ? "{}" : raw).RootElement.Clone();
        _calls.Enqueue(new SqsCall(operation, body, raw, context.Request.ContentType ?? "", context.Request.Headers.Authorization.ToString()));

        var reply = _handlers.TryGetValue(operation, out var handler)
            ? handler(body)
            : SqsReply.Error(400, "UnsupportedOperation", "AWS.SimpleQueueService.UnsupportedOperation", $"The fake did not expect {operation}.");
        context.Response.StatusCode = reply.Status;
        context.Response.ContentType = "application/x-amz-json-1.0";
        if (reply.QueryError is { } queryError)
        {
            context.Response.Headers["x-amzn-query-error"] = queryError;
        }

        await context.Response.WriteAsync(reply.Json);
    }
}

/// <param name="Body">The request's JSON body.</param>
/// <param name="RawBody">The request body as sent.</param>
internal sealed record SqsCall(string Operation, JsonElement Body, string RawBody, string ContentType, string Authorization)
{
    public string Text(string property) => Body.GetProperty(property).GetString()!;

    public int Number(string property) => Body.GetProperty(property).GetInt32();

    public string[] Strings(string property) => [.. Body.GetProperty(property).EnumerateArray().Select(item => item.GetString()!)];
}

internal sealed record SqsReply(int Status, string Json, string? QueryError)
{
    public static SqsReply Ok(JsonObject body) => new(200, body.ToJsonString(), null);

    public static SqsReply Ok() => new(200, "{}", null);

    /// <summary>An SQS error as the JSON protocol carries it: the shape in the body, the query-era code in a header.</summary>
    public static SqsReply Error(int status, string shape, string queryCode, string message) => new(
        status,
        new JsonObject { ["__type"] = $"com.amazonaws.sqs#{shape}", ["message"] = message }.ToJsonString(),
        $"{queryCode};{(status >= 500 ? "Receiver" : "Sender")}");
}
