using System.Text.Json;
using SocketRelay.Application.Batches;
using SocketRelay.Infrastructure.LambdaRuntime;
using SocketRelay.Infrastructure.Serialization;

namespace SocketRelay.Infrastructure.Sqs;

/// <summary>
/// The function's <see cref="InvocationHandler"/>: an SQS event in, a partial batch response out,
/// processed by <see cref="BatchProcessor"/> against the invocation's deadline.
/// </summary>
public sealed class SqsBatchFunction(BatchProcessor processor)
{
    /// <summary>Processes one event and returns the serialized <c>{"batchItemFailures":[…]}</c>.</summary>
    /// <exception cref="MalformedEventException">The payload is not an SQS event at all.</exception>
    public async Task<byte[]> HandleAsync(Invocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var payload = invocation.Payload;
        var deadline = invocation.Deadline;
        SqsEvent? sqsEvent;
        try
        {
            sqsEvent = JsonSerializer.Deserialize(payload, SocketRelayJsonContext.Wire.SqsEvent);
        }
        catch (JsonException ex)
        {
            throw new MalformedEventException($"the event is not an SQS event: {ex.Message}", ex);
        }

        var batch = SqsRecordMapper.ToBatch(sqsEvent ?? throw new MalformedEventException("the event is null"));
        var result = await processor.ProcessAsync(batch, deadline, cancellationToken);
        var response = new SqsBatchResponse
        {
            BatchItemFailures = [.. result.FailedMessageIds.Select(id => new SqsBatchItemFailure { ItemIdentifier = id.Value })],
        };
        return JsonSerializer.SerializeToUtf8Bytes(response, SocketRelayJsonContext.Wire.SqsBatchResponse);
    }
}
