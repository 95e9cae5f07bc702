namespace SocketRelay.LocalGateway.Hosting;

/// <summary>
/// .NET's inline socket completions on Linux: a completion runs on the socket engine's thread instead of
/// hopping to the thread pool first (ADR-034). The runtime reads <see cref="Variable"/> once, when the
/// process creates its first socket, so <see cref="Configure"/> must run before anything opens one.
/// </summary>
public static class SocketCompletions
{
    /// <summary>The environment variable that selects inline completions (<c>1</c>).</summary>
    public const string Variable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>
    /// Inline completions for this process, unless the caller set the variable; never with the SQS queue
    /// (<c>--queue sqs</c>), whose client reads response bodies synchronously: on an engine thread that read
    /// waits for data only that same thread can deliver, and every socket of the engine stops (ADR-046).
    /// </summary>
    /// <returns>Whether completions run inline.</returns>
    public static bool Configure(GatewayOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Queue == "sqs")
        {
            Environment.SetEnvironmentVariable(Variable, "0");
            return false;
        }

        UseInline();
        return Environment.GetEnvironmentVariable(Variable) == "1";
    }

    /// <summary>Turns inline completions on for this process, unless the caller set the variable.</summary>
    public static void UseInline()
    {
        if (Environment.GetEnvironmentVariable(Variable) is null)
        {
            Environment.SetEnvironmentVariable(Variable, "1");
        }
    }
}
