using SocketRelay.LocalGateway.Lambda;
using SocketRelay.LocalGateway.Queue;

namespace SocketRelay.LocalGateway.DevConsole;

/// <summary>
/// Told of each step a message takes through the local pipeline, for the developer console.
/// Every call is made on the hot path: an implementation must only record and return.
/// Times are Unix milliseconds.
/// </summary>
public interface IPipelineObserver
{
    /// <summary>The WebSocket API accepted a frame at <paramref name="receivedAt"/> and the queue stored it at <paramref name="queuedAt"/>.</summary>
    void MessageQueued(string connectionId, string requestId, string messageGroupId, string body, SendResult queued, long receivedAt, long queuedAt);

    /// <summary>
    /// The <c>@connections</c> API answered a <c>POST</c> to <paramref name="connectionId"/> with
    /// <paramref name="statusCode"/>; <paramref name="requestId"/> is the reply envelope's
    /// <c>requestId</c> (null when the body did not carry one).
    /// </summary>
    void PostedToConnection(string connectionId, string? requestId, int statusCode);

    /// <summary>
    /// An invocation started at <paramref name="startedAt"/> with <paramref name="messages"/> ended
    /// with <paramref name="result"/>; <paramref name="failedMessageIds"/> are the messages left in the queue.
    /// </summary>
    void BatchInvoked(IReadOnlyList<ReceivedMessage> messages, InvocationResult result, DateTimeOffset startedAt, IReadOnlySet<string> failedMessageIds);
}

/// <summary>An observer that records nothing: the gateway with its console turned off.</summary>
public sealed class NoPipelineObserver : IPipelineObserver
{
    public static readonly NoPipelineObserver Instance = new();

    private NoPipelineObserver()
    {
    }

    public void MessageQueued(string connectionId, string requestId, string messageGroupId, string body, SendResult queued, long receivedAt, long queuedAt)
    {
    }

    public void PostedToConnection(string connectionId, string? requestId, int statusCode)
    {
    }

    public void BatchInvoked(IReadOnlyList<ReceivedMessage> messages, InvocationResult result, DateTimeOffset startedAt, IReadOnlySet<string> failedMessageIds)
    {
    }
}
