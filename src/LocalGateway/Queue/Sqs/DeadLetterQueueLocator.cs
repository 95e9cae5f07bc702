using System.Text.Json;
using Amazon.SQS;
using Amazon.SQS.Model;

namespace SocketRelay.LocalGateway.Queue.Sqs;

/// <summary>
/// Finds the dead-letter queue of a queue from its <c>RedrivePolicy</c>: the policy names the
/// DLQ by ARN, and SQS addresses queues by URL, so the ARN is resolved with <c>GetQueueUrl</c>
/// once and remembered.
/// </summary>
internal sealed class DeadLetterQueueLocator(IAmazonSQS client)
{
    private DeadLetterQueue? _resolved;

    /// <summary>Returns the dead-letter queue named by <paramref name="redrivePolicy"/>, or null when there is none.</summary>
    public async Task<DeadLetterQueue?> LocateAsync(string? redrivePolicy, CancellationToken cancellationToken)
    {
        var arn = ReadTargetArn(redrivePolicy);
        if (arn is null)
        {
            return null;
        }

        // The policy can change while the gateway runs; a different ARN is resolved afresh.
        if (_resolved is { } cached && cached.Arn == arn)
        {
            return cached;
        }

        var (accountId, queueName) = ParseQueueArn(arn);
        var response = await client.GetQueueUrlAsync(
            new GetQueueUrlRequest { QueueName = queueName, QueueOwnerAWSAccountId = accountId }, cancellationToken);
        var located = new DeadLetterQueue(arn, response.QueueUrl);
        _resolved = located;
        return located;
    }

    internal static string? ReadTargetArn(string? redrivePolicy)
    {
        if (string.IsNullOrWhiteSpace(redrivePolicy))
        {
            return null;
        }

        try
        {
            using var policy = JsonDocument.Parse(redrivePolicy);
            return policy.RootElement.ValueKind == JsonValueKind.Object
                && policy.RootElement.TryGetProperty("deadLetterTargetArn", out var arn)
                && arn.ValueKind == JsonValueKind.String
                && arn.GetString() is { Length: > 0 } value
                ? value
                : null;
        }
        catch (JsonException exception)
        {
            throw new SqsQueueException($"The queue's RedrivePolicy is not valid JSON: {redrivePolicy}", exception);
        }
    }

    /// <summary>Splits <c>arn:partition:sqs:region:account-id:queue-name</c>.</summary>
    internal static (string AccountId, string QueueName) ParseQueueArn(string arn)
    {
        var parts = arn.Split(':');
        if (parts is not ["arn", _, "sqs", _, { Length: > 0 } accountId, { Length: > 0 } queueName])
        {
            throw new SqsQueueException($"The dead-letter target of the queue's RedrivePolicy is not an SQS queue ARN: {arn}");
        }

        return (accountId, queueName);
    }
}

internal sealed record DeadLetterQueue(string Arn, string Url);
