using SocketRelay.Application.Configuration;

namespace SocketRelay.LocalGateway.Queue.Sqs;

/// <summary>Options of the Amazon SQS queue adapter (<c>--queue sqs</c>).</summary>
public sealed class SqsQueueOptions
{
    public const string FallbackRegion = "us-east-1";

    /// <summary>The URL of an SQS FIFO queue, e.g. <c>https://sqs.eu-west-1.amazonaws.com/123456789012/relay.fifo</c>.</summary>
    public string QueueUrl { get; set; } = "";

    /// <summary>
    /// Any SQS-compatible endpoint, e.g. <c>http://127.0.0.1:9324</c>; when empty the client talks to
    /// Amazon SQS in <see cref="Region"/>.
    /// </summary>
    public string? ServiceUrl { get; set; }

    /// <summary>The AWS region; defaults to <c>AWS_REGION</c>, else <c>us-east-1</c>.</summary>
    public string Region { get; set; } = DefaultRegion();

    /// <summary>Every setting that is missing or malformed, by property name.</summary>
    public IEnumerable<OptionProblem> Problems()
    {
        if (string.IsNullOrWhiteSpace(QueueUrl))
        {
            yield return new(nameof(QueueUrl), "is required: the URL of an SQS FIFO queue (its name ends in .fifo)");
        }
        else if (!IsHttpUrl(QueueUrl, out var queueUri))
        {
            yield return new(nameof(QueueUrl), $"must be an absolute http(s) URL (was '{QueueUrl}')");
        }
        else if (!queueUri.AbsolutePath.TrimEnd('/').EndsWith(".fifo", StringComparison.Ordinal))
        {
            // The adapter relies on FIFO semantics (groups, deduplication, sequence numbers), and SQS
            // names every FIFO queue with the .fifo suffix.
            yield return new(nameof(QueueUrl), $"must name a FIFO queue, whose name ends in .fifo (was '{QueueUrl}')");
        }

        if (!string.IsNullOrWhiteSpace(ServiceUrl) && !IsHttpUrl(ServiceUrl, out _))
        {
            yield return new(nameof(ServiceUrl), $"must be an absolute http(s) URL (was '{ServiceUrl}')");
        }

        if (string.IsNullOrWhiteSpace(Region))
        {
            yield return new(nameof(Region), "must not be empty: an AWS region such as us-east-1");
        }
    }

    /// <exception cref="InvalidOptionsException">Any of <see cref="Problems"/>, all listed.</exception>
    public void Validate() => InvalidOptionsException.ThrowIfAny(nameof(SqsQueueOptions), Problems());

    private static string DefaultRegion() =>
        Environment.GetEnvironmentVariable("AWS_REGION") is { Length: > 0 } region ? region : FallbackRegion;

    private static bool IsHttpUrl(string value, out Uri uri) =>
        Uri.TryCreate(value, UriKind.Absolute, out uri!) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
