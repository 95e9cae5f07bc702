using System.Text.Json;
using SocketRelay.Application.Batches;
using SocketRelay.Infrastructure.Serialization;
using SocketRelay.Infrastructure.Sqs;

namespace SocketRelay.Infrastructure.LambdaRuntime;

/// <summary>The function's handler: an SQS event in, a partial batch response out.</summary>
public sealed class SqsBatchFunction(BatchProcessor processor)
{
    /// <summary>Processes one event and returns the serialized <c>{"batchItemFailures":[…]}</c>.</summary>
    /// <exception cref="MalformedEventException">The payload is not an SQS event at all.</exception>
    public async Task<byte[]> HandleAsync(byte[] payload, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
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
