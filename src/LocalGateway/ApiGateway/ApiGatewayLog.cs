using Microsoft.Extensions.Logging;

namespace SocketRelay.LocalGateway.ApiGateway;

/// <summary>The gateway's log lines. Message bodies appear only at Debug.</summary>
internal static partial class ApiGatewayLog
{
    [LoggerMessage(1, LogLevel.Information, "Connection {ConnectionId} opened from {SourceIp}")]
    public static partial void Connected(ILogger logger, string connectionId, string sourceIp);

    [LoggerMessage(2, LogLevel.Information, "Connection {ConnectionId} closed ({CloseStatus})")]
    public static partial void Disconnected(ILogger logger, string connectionId, string closeStatus);

    [LoggerMessage(3, LogLevel.Information, "Connection {ConnectionId} request {RequestId} rejected: {Reason}")]
    public static partial void InvalidRequest(ILogger logger, string connectionId, string requestId, string reason);

    [LoggerMessage(4, LogLevel.Debug, "Connection {ConnectionId} request {RequestId} accepted in group {MessageGroupId}: {Body}")]
    public static partial void Accepted(ILogger logger, string connectionId, string requestId, string messageGroupId, string body);

    [LoggerMessage(5, LogLevel.Error, "Connection {ConnectionId} request {RequestId} could not be queued")]
    public static partial void SinkFailed(ILogger logger, Exception exception, string connectionId, string requestId);

    [LoggerMessage(6, LogLevel.Information, "Closing connection {ConnectionId}: {Reason}")]
    public static partial void ClosingConnection(ILogger logger, string connectionId, string reason);

    [LoggerMessage(7, LogLevel.Warning, "Dropped connection {ConnectionId}: {Reason}")]
    public static partial void ConnectionDropped(ILogger logger, string connectionId, string reason);

    [LoggerMessage(8, LogLevel.Warning, "Refused @connections {Method} from {RemoteAddress}: only loopback clients may use it")]
    public static partial void ManagementForbidden(ILogger logger, string method, string remoteAddress);

    [LoggerMessage(9, LogLevel.Debug, "@connections {Method} {ConnectionId}: {StatusCode}")]
    public static partial void ManagementRequest(ILogger logger, string method, string connectionId, int statusCode);

    [LoggerMessage(10, LogLevel.Debug, "@connections POST {ConnectionId}: injected fault {StatusCode}")]
    public static partial void FaultInjected(ILogger logger, string connectionId, int statusCode);

    [LoggerMessage(11, LogLevel.Warning, "Refused @connections {Method} {Path}: 403 {ErrorType}: {Reason}")]
    public static partial void ManagementRefused(ILogger logger, string method, string path, string errorType, string reason);
}
