using System.Text.Json.Serialization;

namespace SocketRelay.Infrastructure.Serialization;

/// <summary>The wire form of a reply, exactly the seed's: <c>{"connectionId","requestId","message"}</c>, in that order.</summary>
public sealed record ReplyEnvelope(
    [property: JsonPropertyName("connectionId")] string ConnectionId,
    [property: JsonPropertyName("requestId")] string RequestId,
    [property: JsonPropertyName("message")] string Message);
