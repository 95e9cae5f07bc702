using Microsoft.Extensions.Logging;

namespace SocketRelay.Infrastructure.Tests.Logging;

/// <summary>Log calls shaped like the Application's: source-generated, snake_case placeholders.</summary>
internal static partial class RelayLog
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "Message body: {body}")]
    public static partial void MessageBody(this ILogger logger, string body);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reply delivered to {connection_id}")]
    public static partial void Delivered(this ILogger logger, string connection_id);

    [LoggerMessage(Level = LogLevel.Information, Message = "Batch of {count} processed in {elapsed_ms} ms, deadline {deadline:o}, partial {partial}")]
    public static partial void BatchProcessed(this ILogger logger, int count, double elapsed_ms, DateTimeOffset deadline, bool partial);

    [LoggerMessage(Level = LogLevel.Error, Message = "Processing the message threw; reported failed")]
    public static partial void ProcessingThrew(this ILogger logger, Exception exception);

    [LoggerMessage(Message = "Note: {note}")]
    public static partial void Note(this ILogger logger, LogLevel level, string note);

    /// <summary>The scope the Application opens around one message.</summary>
    public static IDisposable? BeginMessageScope(this ILogger logger, string messageId, string groupId, string connectionId, string requestId) =>
        logger.BeginScope(new List<KeyValuePair<string, object?>>
        {
            new("message_id", messageId),
            new("message_group_id", groupId),
            new("connection_id", connectionId),
            new("request_id", requestId),
        });

    /// <summary>A scope carrying one property of any type, as a caller's scope may.</summary>
    public static IDisposable? BeginPropertyScope(this ILogger logger, string name, object? value) =>
        logger.BeginScope(new List<KeyValuePair<string, object?>> { new(name, value) });
}
