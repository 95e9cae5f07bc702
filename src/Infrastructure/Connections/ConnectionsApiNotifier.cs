using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Amazon.Runtime;
using Microsoft.Extensions.Logging;
using SocketRelay.Application.Ports;
using SocketRelay.Domain.Delivery;
using SocketRelay.Domain.Messages;
using SocketRelay.Infrastructure.Serialization;

namespace SocketRelay.Infrastructure.Connections;

/// <summary>
/// Posts a reply to <c>{endpoint}/@connections/{connection id}</c>, SigV4-signed for <c>execute-api</c>,
/// in one attempt, and says what became of it: any 2xx is delivered, 410 is a client that has left,
/// 429, 5xx, time-outs and connection errors are worth retrying, 403, 413 and other 4xx are not.
/// Retrying is a decorator's job. Nothing is started at or past <c>sendBy</c>, and an attempt still
/// running then is abandoned as a transient failure.
/// </summary>
public sealed partial class ConnectionsApiNotifier : IConnectionNotifier
{
    private const string SigningService = "execute-api";
    private const int DetailBodyBytes = 256;
    private static readonly TimeSpan LongestDeadlineTimer = TimeSpan.FromDays(1);
    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json");

    private readonly HttpClient _httpClient;
    private readonly SigV4Signer _signer;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<ConnectionsApiNotifier> _logger;
    private readonly string _connectionsBaseUri;
    private readonly string _region;

    public ConnectionsApiNotifier(
        HttpClient httpClient,
        ConnectionsApiOptions options,
        SigV4Signer signer,
        TimeProvider timeProvider,
        ILogger<ConnectionsApiNotifier> logger)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(signer);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        options.Validate();

        _httpClient = httpClient;
        _signer = signer;
        _timeProvider = timeProvider;
        _logger = logger;
        _connectionsBaseUri = options.Endpoint!.AbsoluteUri.TrimEnd('/') + "/@connections/";
        _region = options.Region!;
    }

    public async ValueTask<DeliveryResult> SendAsync(Reply reply, DateTimeOffset sendBy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var timeLeft = sendBy - _timeProvider.GetUtcNow();
        if (timeLeft <= TimeSpan.Zero)
        {
            return DeliveryResult.Transient($"not sent: the send-by time {sendBy:O} had already passed");
        }

        using var deadline = new CancellationTokenSource(
            timeLeft < LongestDeadlineTimer ? timeLeft : Timeout.InfiniteTimeSpan, _timeProvider);
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var connectionId = reply.ConnectionId.Value;
        try
        {
            using var request = await CreateSignedRequestAsync(reply, attempt.Token);
            using var response = await _httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attempt.Token);
            var result = await ClassifyAsync(response, attempt.Token);
            LogAttempt(connectionId, (int)response.StatusCode, result.Outcome);
            return result;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            return Failed(connectionId, DeliveryResult.Transient($"abandoned: no answer from the @connections API by the send-by time {sendBy:O}"));
        }
        catch (OperationCanceledException exception)
        {
            // HttpClient.Timeout: the caller did not cancel, the endpoint was too slow.
            return Failed(connectionId, DeliveryResult.Transient($"timed out after {_httpClient.Timeout.TotalSeconds:0.###} s: {exception.Message}"));
        }
        catch (HttpRequestException exception)
        {
            return Failed(connectionId, DeliveryResult.Transient($"request failed ({exception.HttpRequestError}): {exception.Message}"));
        }
        catch (IOException exception)
        {
            return Failed(connectionId, DeliveryResult.Transient($"connection error: {exception.Message}"));
        }
        catch (AmazonClientException exception)
        {
            LogCredentialsUnavailable(exception);
            return DeliveryResult.Permanent($"not sent: AWS credentials could not be resolved: {exception.Message}");
        }
    }

    private async Task<HttpRequestMessage> CreateSignedRequestAsync(Reply reply, CancellationToken cancellationToken)
    {
        var envelope = new ReplyEnvelope(reply.ConnectionId.Value, reply.RequestId.Value, reply.Message);
        var body = JsonSerializer.SerializeToUtf8Bytes(envelope, SocketRelayJsonContext.Wire.ReplyEnvelope);
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_connectionsBaseUri + Uri.EscapeDataString(reply.ConnectionId.Value)))
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = JsonContentType } },
        };
        try
        {
            await _signer.SignAsync(request, _region, SigningService, cancellationToken);
            return request;
        }
        catch
        {
            request.Dispose();
            throw;
        }
    }

    private static async Task<DeliveryResult> ClassifyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = response.StatusCode;
        if (response.IsSuccessStatusCode)
        {
            return DeliveryResult.Delivered;
        }

        if (status == HttpStatusCode.Gone)
        {
            return DeliveryResult.Gone;
        }

        var detail = $"@connections answered {(int)status} {response.ReasonPhrase}: {await ReadBodyStartAsync(response, cancellationToken)}";
        return status == HttpStatusCode.TooManyRequests || (int)status >= 500
            ? DeliveryResult.Transient(detail)
            : DeliveryResult.Permanent(detail);
    }

    private static async Task<string> ReadBodyStartAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var buffer = new byte[DetailBodyBytes];
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var length = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
        var text = System.Text.Encoding.UTF8.GetString(buffer, 0, length).ReplaceLineEndings(" ").Trim();
        if (text.Length == 0)
        {
            return "(empty body)";
        }

        return length == buffer.Length ? text + "…" : text;
    }

    private DeliveryResult Failed(string connectionId, DeliveryResult result)
    {
        LogAttemptFailed(connectionId, result.Detail);
        return result;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "@connections POST to {ConnectionId}: HTTP {StatusCode}, {Outcome}")]
    private partial void LogAttempt(string connectionId, int statusCode, DeliveryOutcome outcome);

    [LoggerMessage(Level = LogLevel.Debug, Message = "@connections POST to {ConnectionId} failed: {Detail}")]
    private partial void LogAttemptFailed(string connectionId, string? detail);

    [LoggerMessage(Level = LogLevel.Error, Message = "No AWS credentials to sign @connections requests with")]
    private partial void LogCredentialsUnavailable(Exception exception);
}
