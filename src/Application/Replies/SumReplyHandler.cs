using System.Buffers;
using System.Text;
using System.Text.Json;
using SocketRelay.Application.Ports;
using SocketRelay.Domain.Messages;

namespace SocketRelay.Application.Replies;

/// <summary>
/// The worked example of the README's "Write your own reply logic" (not registered by default):
/// adds up the numbers a client sends and answers with their total.
/// </summary>
/// <remarks>
/// Body: a JSON object whose <c>data</c> is an array of JSON numbers, e.g.
/// <c>{"MessageGroupId":"calc","data":[1,2,3.5]}</c>. Reply message: <c>{"sum":6.5}</c> (decimal
/// arithmetic, so <c>[0.1,0.2]</c> gives <c>0.3</c>). A body that is not such an object, a number
/// outside the range of <see cref="decimal"/> or a total that overflows it can never succeed, so it
/// throws <see cref="UnprocessableMessageException"/> and the message is parked alone.
/// </remarks>
public sealed class SumReplyHandler : IReplyHandler
{
    /// <exception cref="UnprocessableMessageException">The body is not <c>{"data":[numbers…]}</c>, or the total overflows.</exception>
    public ValueTask<Reply?> HandleAsync(QueuedMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var sum = Sum(message.Body);
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("sum", sum);
            writer.WriteEndObject();
        }

        return ValueTask.FromResult<Reply?>(new Reply(message.ConnectionId, message.RequestId, Encoding.UTF8.GetString(buffer.WrittenSpan)));
    }

    private static decimal Sum(string body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            throw new UnprocessableMessageException("the body is not JSON", ex);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("data", out var data)
                || data.ValueKind != JsonValueKind.Array)
            {
                throw new UnprocessableMessageException("the body has no \"data\" array");
            }

            var sum = 0m;
            var index = 0;
            foreach (var item in data.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Number || !item.TryGetDecimal(out var value))
                {
                    throw new UnprocessableMessageException($"data[{index}] is not a number in the decimal range");
                }

                try
                {
                    sum = checked(sum + value);
                }
                catch (OverflowException ex)
                {
                    throw new UnprocessableMessageException("the total overflows a decimal", ex);
                }

                index++;
            }

            return sum;
        }
    }
}
