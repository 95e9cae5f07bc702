using System.Globalization;
using System.Text.RegularExpressions;
using SocketRelay.Application.Configuration;

namespace SocketRelay.LocalGateway.Hosting;

/// <summary>
/// Who the local pipeline is, as AWS would name it: one account, one region, one function. Every ARN,
/// header, environment variable, event field and log line the gateway produces is built from this one
/// value, so a function sees the same names wherever it looks (Runtime API headers, <c>AWS_REGION</c>,
/// <c>eventSourceARN</c>, its own log lines).
/// </summary>
/// <param name="AccountId">Twelve digits; always <see cref="LocalAccountId"/> here.</param>
/// <param name="Region">An AWS region name such as <c>us-east-1</c> (<c>--region</c>).</param>
/// <param name="FunctionName">Lambda's function name rule: 1–64 of letters, digits, <c>-</c>, <c>_</c> (<c>--function-name</c>).</param>
/// <param name="FunctionMemoryMb">128–10240 MB, as Lambda allows (<c>--function-memory</c>).</param>
/// <param name="QueueArn">The queue the event source polls: the local queue's ARN, or the ARN named by <c>--sqs-queue-url</c>.</param>
public sealed partial record LocalIdentity(string AccountId, string Region, string FunctionName, int FunctionMemoryMb, string QueueArn)
{
    /// <summary>
    /// The account of everything local: twelve zeros, as LocalStack uses. Never a real account, so an
    /// ARN copied from local output into AWS fails loudly instead of touching someone's resources.
    /// </summary>
    public const string LocalAccountId = "000000000000";

    public const string DefaultRegion = "us-east-1";

    public const string DefaultFunctionName = "socketrelay-local";

    /// <summary>The deployment's <c>functionMemorySize</c> (<c>deploy/serverless.yml</c>).</summary>
    public const int DefaultFunctionMemoryMb = 256;

    /// <summary>The embedded queue's name, as the deployment names its queue for stage <c>local</c>.</summary>
    public const string LocalQueueName = "socketrelay-local-messages.fifo";

    /// <summary>The only version the local gateway runs.</summary>
    public const string FunctionVersion = "$LATEST";

    /// <summary>The identity with every default: <c>arn:aws:lambda:us-east-1:000000000000:function:socketrelay-local</c>.</summary>
    public static LocalIdentity Default { get; } = new(
        LocalAccountId, DefaultRegion, DefaultFunctionName, DefaultFunctionMemoryMb, QueueArnOf(DefaultRegion, LocalAccountId, LocalQueueName));

    /// <summary><c>aws</c>, or <c>aws-cn</c> / <c>aws-us-gov</c> for those regions: the ARN partition.</summary>
    public string Partition => PartitionOf(Region);

    /// <summary><c>arn:{partition}:lambda:{region}:{account}:function:{name}</c>: the Runtime API's <c>Lambda-Runtime-Invoked-Function-Arn</c>.</summary>
    public string FunctionArn => $"arn:{Partition}:lambda:{Region}:{AccountId}:function:{FunctionName}";

    /// <summary><c>/aws/lambda/{function name}</c>, the log group Lambda writes the function's output to.</summary>
    public string LogGroupName => $"/aws/lambda/{FunctionName}";

    /// <summary>
    /// The identity the options describe. With <c>--queue sqs</c> the queue ARN is the queue's own (account
    /// and name from the queue URL's <c>/{account}/{name}</c> path; for another path, its last segment in
    /// <see cref="LocalAccountId"/>); the embedded queue is <see cref="LocalQueueName"/> in <see cref="LocalAccountId"/>.
    /// </summary>
    public static LocalIdentity From(GatewayOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var (account, queueName) = options.Queue == "sqs" && QueueOwnerAndName(options.SqsQueueUrl) is { } remote
            ? remote
            : (LocalAccountId, LocalQueueName);
        return new(LocalAccountId, options.Region, options.FunctionName, options.FunctionMemoryMb, QueueArnOf(options.Region, account, queueName));
    }

    /// <summary>What is wrong with the identity settings, each named by its command-line switch.</summary>
    public static IEnumerable<OptionProblem> Problems(GatewayOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!RegionName().IsMatch(options.Region ?? ""))
        {
            yield return new(CommandLine.SwitchFor(nameof(options.Region)), $"must be an AWS region name such as us-east-1 or eu-west-2 (was '{options.Region}')");
        }

        // Only when the gateway talks to AWS itself: behind --sqs-service-url the URL's host is just a name.
        if (options.Queue == "sqs" && string.IsNullOrEmpty(options.SqsServiceUrl) && Uri.TryCreate(options.SqsQueueUrl, UriKind.Absolute, out var queueUrl)
            && AwsQueueHost().Match(queueUrl.Host) is { Success: true } host && host.Groups[1].Value != options.Region)
        {
            yield return new(CommandLine.SwitchFor(nameof(options.Region)), $"must be the queue's region ({host.Groups[1].Value}), as an event source mapping polls a queue in its function's region (was {options.Region})");
        }

        if (!FunctionNameRule().IsMatch(options.FunctionName ?? ""))
        {
            yield return new(CommandLine.SwitchFor(nameof(options.FunctionName)), $"must be 1–64 letters, digits, '-' or '_', as Lambda requires (was '{options.FunctionName}')");
        }

        if (options.FunctionMemoryMb is < 128 or > 10240)
        {
            yield return new(CommandLine.SwitchFor(nameof(options.FunctionMemoryMb)), string.Create(CultureInfo.InvariantCulture, $"must be 128–10240 MB, as Lambda allows (was {options.FunctionMemoryMb})"));
        }
    }

    private static string PartitionOf(string region) =>
        region.StartsWith("cn-", StringComparison.Ordinal) ? "aws-cn"
        : region.StartsWith("us-gov-", StringComparison.Ordinal) ? "aws-us-gov"
        : "aws";

    private static string QueueArnOf(string region, string account, string queueName) =>
        $"arn:{PartitionOf(region)}:sqs:{region}:{account}:{queueName}";

    private static (string Account, string QueueName)? QueueOwnerAndName(string? queueUrl)
    {
        if (!Uri.TryCreate(queueUrl, UriKind.Absolute, out var url))
        {
            return null;
        }

        // SQS's own URLs are /{account}/{name}; an SQS-compatible server may use another path (ElasticMQ's
        // /queue/{name}): the queue is still the last segment, and its owner the local account.
        var segments = url.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments.Length switch
        {
            0 => null,
            2 when AccountIdRule().IsMatch(segments[0]) => (segments[0], segments[1]),
            _ => (LocalAccountId, segments[^1]),
        };
    }

    [GeneratedRegex("^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$", RegexOptions.CultureInvariant)]
    private static partial Regex RegionName();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex FunctionNameRule();

    [GeneratedRegex(@"^sqs\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$", RegexOptions.CultureInvariant)]
    private static partial Regex AwsQueueHost();

    [GeneratedRegex("^[0-9]{12}$", RegexOptions.CultureInvariant)]
    private static partial Regex AccountIdRule();
}
