using System.Text.RegularExpressions;

namespace SocketRelay.Bench.Profile;

/// <summary>
/// The hops of the local pipeline, each recognised by the frames on a stack. A sample or an
/// allocation belongs to the first hop (in this order) with a frame anywhere on its stack, so the
/// kernel and library work a hop causes (a socket write, an fsync, HttpClient) counts as that hop's.
/// Stacks without any of the gateway's frames fall back to the library or runtime they are in.
/// </summary>
public static partial class Hops
{
    private static readonly (string Name, Regex Frames)[] Gateway =
    [
        ("developer console bookkeeping", DevConsole()),
        ("queue (SQLite: send, receive, delete)", Queue()),
        ("WebSocket API (frame in, validate, enqueue)", WebSocketApi()),
        ("@connections API (verify SigV4, frame out)", ConnectionsApi()),
        ("event-source poller (receive, build event, delete)", Poller()),
        ("Runtime API (local server)", RuntimeApi()),
        ("function (runtime loop, batch, @connections client)", Function()),
        ("other gateway code", AnyGateway()),
    ];

    private static readonly (string Name, Regex Frames)[] Fallback =
    [
        ("JIT compiler", new("libclrjit", RegexOptions.CultureInvariant)),
        ("Kestrel, HttpClient, sockets (no gateway frame)", new(@"Kestrel|System\.Net\.|AspNetCore|System\.IO\.Pipelines", RegexOptions.CultureInvariant)),
        ("runtime (GC, thread pool, locks; no gateway frame)", new(@"libcoreclr|System\.Private\.CoreLib|libc\.so|ld-linux|\[JIT\]|perf-\d+\.map|\[unknown\]", RegexOptions.CultureInvariant)),
        ("kernel only", new("kernel", RegexOptions.CultureInvariant)),
    ];

    /// <summary>Every hop name, in report order.</summary>
    public static IEnumerable<string> Names => Gateway.Select(h => h.Name).Concat(Fallback.Select(h => h.Name)).Append("unattributed");

    /// <summary>The hop a stack (frames as text, innermost first) belongs to.</summary>
    public static string Of(IReadOnlyList<string> frames)
    {
        ArgumentNullException.ThrowIfNull(frames);
        foreach (var (name, pattern) in Gateway)
        {
            if (frames.Any(pattern.IsMatch))
            {
                return name;
            }
        }

        foreach (var (name, pattern) in Fallback)
        {
            if (frames.Any(pattern.IsMatch))
            {
                return name;
            }
        }

        return "unattributed";
    }

    [GeneratedRegex(@"SocketRelay\.LocalGateway\.DevConsole")]
    private static partial Regex DevConsole();

    [GeneratedRegex(@"SocketRelay\.LocalGateway\.Queue|Microsoft\.Data\.Sqlite|SQLitePCL|libe_sqlite3")]
    private static partial Regex Queue();

    [GeneratedRegex(@"SocketRelay\.LocalGateway\.ApiGateway\.(WebSocketApi|InboundRequest|CompactJson|QueueInboundSink|JsonStringEscapes|ConnectionRegistry|GatewayConnection)")]
    private static partial Regex WebSocketApi();

    [GeneratedRegex(@"SocketRelay\.LocalGateway\.ApiGateway\.(ConnectionsApi|SigV4Verifier|ReplyEnvelopeProbe)")]
    private static partial Regex ConnectionsApi();

    [GeneratedRegex(@"SocketRelay\.LocalGateway\.EventSource")]
    private static partial Regex Poller();

    [GeneratedRegex(@"SocketRelay\.LocalGateway\.Lambda")]
    private static partial Regex RuntimeApi();

    [GeneratedRegex(@"SocketRelay\.(Infrastructure|Application|Domain)|Polly|Serilog")]
    private static partial Regex Function();

    [GeneratedRegex(@"SocketRelay\.")]
    private static partial Regex AnyGateway();
}
