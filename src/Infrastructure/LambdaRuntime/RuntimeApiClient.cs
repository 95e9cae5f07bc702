using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using SocketRelay.Infrastructure.Serialization;

namespace SocketRelay.Infrastructure.LambdaRuntime;

/// <summary>
/// The client side of the Lambda Runtime API (<c>AWS_LAMBDA_RUNTIME_API</c>): fetch the next
/// event, post its response or its error, report an initialisation error. One HTTP connection,
/// kept alive, no framework. Paths and headers come from <see cref="RuntimeApiContract"/>.
/// </summary>
public sealed class RuntimeApiClient : IDisposable
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly HttpClient _http;

    /// <param name="runtimeApi">The <c>host:port</c> of <c>AWS_LAMBDA_RUNTIME_API</c>.</param>
    public RuntimeApiClient(string runtimeApi, HttpMessageHandler? handler = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runtimeApi);
        _http = new HttpClient(handler ?? new SocketsHttpHandler { PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = new Uri($"http://{runtimeApi}/"),
            Timeout = Timeout.InfiniteTimeSpan, // invocation/next blocks until there is an event
        };
    }

    public async Task<Invocation> GetNextInvocationAsync(CancellationToken cancellationToken)
    {
        // Headers first, then the body read straight into an array of its length (ReadBodyAsync).
        using var response = await _http.GetAsync(RuntimeApiContract.NextInvocationPath, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        var requestId = Header(response, RuntimeApiContract.RequestIdHeader)
            ?? throw new InvalidOperationException($"the Runtime API sent an event without {RuntimeApiContract.RequestIdHeader}");
        var deadline = long.TryParse(Header(response, RuntimeApiContract.DeadlineHeader), NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : throw new InvalidOperationException($"the Runtime API sent an event without a valid {RuntimeApiContract.DeadlineHeader}");
        var payload = await ReadBodyAsync(response.Content, cancellationToken);
        return new Invocation(requestId, deadline, Header(response, RuntimeApiContract.FunctionArnHeader) ?? "", Header(response, RuntimeApiContract.TraceIdHeader), payload);
    }

    public Task PostResponseAsync(string requestId, byte[] payload, CancellationToken cancellationToken) =>
        PostAsync(RuntimeApiContract.InvocationResponsePath(requestId), payload, errorType: null, cancellationToken);

    public Task PostInvocationErrorAsync(string requestId, RuntimeError error, CancellationToken cancellationToken) =>
        PostAsync(RuntimeApiContract.InvocationErrorPath(requestId), Serialize(error), error?.ErrorType, cancellationToken);

    public Task PostInitErrorAsync(RuntimeError error, CancellationToken cancellationToken) =>
        PostAsync(RuntimeApiContract.InitErrorPath, Serialize(error), error?.ErrorType, cancellationToken);

    public void Dispose() => _http.Dispose();

    private static byte[] Serialize(RuntimeError error) => JsonSerializer.SerializeToUtf8Bytes(error, SocketRelayJsonContext.Wire.RuntimeError);

    private async Task PostAsync(string path, byte[] payload, string? errorType, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(payload);
        content.Headers.ContentType = Json;
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        if (errorType is not null)
        {
            request.Headers.TryAddWithoutValidation(RuntimeApiContract.ErrorTypeHeader, errorType);
        }

        using var response = await _http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>
    /// The event: with a <c>Content-Length</c> (the local gateway's Runtime API always sends one) read into one
    /// array of that length, where <see cref="HttpContent.ReadAsByteArrayAsync()"/> would buffer it and then copy
    /// the buffer; a chunked event (no length) is read as before.
    /// </summary>
    /// <exception cref="EndOfStreamException">The body ended before <c>Content-Length</c> bytes came.</exception>
    /// <exception cref="HttpIOException">The connection ended before the response did.</exception>
    private static async Task<byte[]> ReadBodyAsync(HttpContent content, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength is not { } length)
        {
            return await content.ReadAsByteArrayAsync(cancellationToken);
        }

        var body = new byte[length];
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        await stream.ReadExactlyAsync(body, cancellationToken);
        return body;
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.NonValidated.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
