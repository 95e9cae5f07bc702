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

    /// <exception cref="ArgumentException">An option is missing or malformed; the message says which and why.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(QueueUrl))
        {
            throw new ArgumentException("The SQS queue URL is required (--sqs-queue-url).", nameof(QueueUrl));
        }

        if (!IsHttpUrl(QueueUrl, out var queueUri))
        {
            throw new ArgumentException($"The SQS queue URL must be an absolute http(s) URL; got '{QueueUrl}'.", nameof(QueueUrl));
        }

        // The adapter relies on FIFO semantics (groups, deduplication, sequence numbers), and SQS
        // names every FIFO queue with the .fifo suffix.
        if (!queueUri.AbsolutePath.TrimEnd('/').EndsWith(".fifo", StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"The SQS queue must be a FIFO queue (its name ends in .fifo); got '{QueueUrl}'.", nameof(QueueUrl));
        }

        if (!string.IsNullOrWhiteSpace(ServiceUrl) && !IsHttpUrl(ServiceUrl, out _))
        {
            throw new ArgumentException($"The SQS service URL must be an absolute http(s) URL; got '{ServiceUrl}'.", nameof(ServiceUrl));
        }

        if (string.IsNullOrWhiteSpace(Region))
        {
            throw new ArgumentException("The AWS region must not be empty.", nameof(Region));
        }
    }

    private static string DefaultRegion() =>
        Environment.GetEnvironmentVariable("AWS_REGION") is { Length: > 0 } region ? region : FallbackRegion;

    private static bool IsHttpUrl(string value, out Uri uri) =>
        Uri.TryCreate(value, UriKind.Absolute, out uri!) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
