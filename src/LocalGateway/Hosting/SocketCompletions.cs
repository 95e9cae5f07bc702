namespace SocketRelay.LocalGateway.Hosting;

/// <summary>
/// .NET's inline socket completions on Linux: a completion runs on the socket engine's thread instead of
/// hopping to the thread pool first (ADR-034). The runtime reads <see cref="Variable"/> once, when the
/// process creates its first socket, so <see cref="UseInline"/> must run first thing in <c>Main</c>.
/// </summary>
public static class SocketCompletions
{
    /// <summary>The environment variable that selects inline completions (<c>1</c>).</summary>
    public const string Variable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>Turns inline completions on for this process and the processes it starts, unless the caller set the variable.</summary>
    public static void UseInline()
    {
        if (Environment.GetEnvironmentVariable(Variable) is null)
        {
            Environment.SetEnvironmentVariable(Variable, "1");
        }
    }
}
