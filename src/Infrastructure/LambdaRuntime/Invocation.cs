namespace SocketRelay.Infrastructure.LambdaRuntime;

/// <summary>One event handed out by <c>GET /2018-06-01/runtime/invocation/next</c>, with its headers.</summary>
public sealed record Invocation(
    string RequestId,
    DateTimeOffset Deadline,
    string FunctionArn,
    string? TraceId,
    byte[] Payload);
