using System.Collections.Concurrent;
using SocketRelay.LocalGateway.ApiGateway;
using SocketRelay.TestSupport;

namespace SocketRelay.LocalGateway.Tests.ApiGateway;

/// <summary>Records what the gateway accepts; can be told to fail.</summary>
internal sealed class RecordingSink : IInboundMessageSink
{
    private readonly ConcurrentQueue<InboundMessage> _messages = new();

    public Func<InboundMessage, bool> FailWhen { get; set; } = _ => false;

    public IReadOnlyList<InboundMessage> Messages => [.. _messages];

    public ValueTask AcceptAsync(InboundMessage message, CancellationToken cancellationToken)
    {
        if (FailWhen(message))
        {
            throw new InvalidOperationException("The queue is unavailable.");
        }

        _messages.Enqueue(message);
        return ValueTask.CompletedTask;
    }

    public Task<IReadOnlyList<InboundMessage>> WaitForAsync(int count) =>
        Eventually.ValueAsync(() => _messages.Count >= count ? Messages : null);

    public async Task<InboundMessage> WaitForLastAsync(int count) => (await WaitForAsync(count))[count - 1];
}
