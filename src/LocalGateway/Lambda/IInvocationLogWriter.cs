namespace SocketRelay.LocalGateway.Lambda;

/// <summary>
/// A function log output that also takes the invocation each line belongs to. A function host that knows which
/// execution environment wrote a line (a child process's output) writes through this when its output offers it,
/// so that lines with no request id of their own (plain <c>console.log</c> text, a print) still reach their invocation.
/// </summary>
public interface IInvocationLogWriter
{
    /// <summary>Writes <paramref name="line"/> (no line break) and a line break; <paramref name="invocationRequestId"/> is the invocation it belongs to, or null for none (initialisation).</summary>
    void WriteLine(string line, string? invocationRequestId);
}
