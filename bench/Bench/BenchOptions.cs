using System.Globalization;

namespace SocketRelay.Bench;

/// <summary>The driver's command line; <c>bench/run</c> fills it in.</summary>
public sealed class BenchOptions
{
    public bool Quick { get; private set; }

    public string Output { get; private set; } = "bench/results/latest.json";

    public string Scratch { get; private set; } = Path.Combine(Path.GetTempPath(), "socketrelay-bench");

    public string? AotBootstrap { get; private set; }

    public string? JitDll { get; private set; }

    public string? Zip { get; private set; }

    public string? GatewayDll { get; private set; }

    public string? FunctionBinary { get; private set; }

    public string? ServerlessOfflineDir { get; private set; }

    public int Pollers { get; private set; } = SocketRelay.LocalGateway.EventSource.EventSourceOptions.DefaultPollers;

    public int Connections { get; private set; } = 1000;

    public HashSet<string> Only { get; } = new(StringComparer.Ordinal);

    public static BenchOptions Parse(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--quick": options.Quick = true; break;
                case "--out": options.Output = Value(); break;
                case "--scratch": options.Scratch = Value(); break;
                case "--aot": options.AotBootstrap = Value(); break;
                case "--jit": options.JitDll = Value(); break;
                case "--zip": options.Zip = Value(); break;
                case "--gateway": options.GatewayDll = Value(); break;
                case "--function-binary": options.FunctionBinary = Value(); break;
                case "--serverless-offline": options.ServerlessOfflineDir = Value(); break;
                case "--pollers": options.Pollers = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--connections": options.Connections = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--only": options.Only.UnionWith(Value().Split(',')); break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }

        Directory.CreateDirectory(options.Scratch);
        return options;
    }

    /// <summary>
    /// batch, function (cold start, RSS, zip), e2e (= e2e-ours, ceiling, e2e-theirs), console or backlog;
    /// all when <c>--only</c> is not given.
    /// </summary>
    public bool Runs(string benchmark) => Only.Count == 0 || Only.Contains(benchmark);

    public string Require(string? value, string option) =>
        value ?? throw new ArgumentException($"{option} is required for this benchmark");

    /// <summary>
    /// Quick and full searches have the same shape (start rate, ×1.5, bisections, sustained rule) and
    /// differ only in step length, so that their figures can be compared. Three bisections: from the
    /// usual 5,062 pass and 7,594 failure, two could read only 5,700 or 6,350 near 6,000 msg/s (≈ ±10 %),
    /// and the third settles the figure to within ≈ 320 msg/s (ADR-035).
    /// </summary>
    public EndToEndSettings EndToEnd() => Quick
        ? new(Connections, 1000, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(6), 1, 3, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(3), 1000, 200_000, 3, 200, 0.1)
        : new(Connections, 1000, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(20), 3, 3, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5), 1000, 200_000, 3, 200, 0.1);

    /// <summary>2,500 msg/s: sustained by the gateway with and without the console, with room to spare.</summary>
    public ConsoleSettings Console() => Quick
        ? new(2500, TimeSpan.FromSeconds(4), 3, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(2), Searches: 1)
        : new(2500, TimeSpan.FromSeconds(10), 3, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(5), Searches: 3);

    /// <summary>
    /// 64 senders into 1,000 groups, <see cref="Pollers"/> pollers (the gateway's default unless
    /// <c>--pollers</c> says otherwise), latency at 1,000 msg/s, a
    /// 100,000-message backlog in both modes; five pairs of windows (three in <c>--quick</c>, whose phases are also shorter).
    /// </summary>
    public BacklogSettings Backlog() => Quick
        ? new(64, Pollers, 1000, TimeSpan.FromSeconds(3), 1000, TimeSpan.FromSeconds(10), 100_000, Pairs: 3)
        : new(64, Pollers, 1000, TimeSpan.FromSeconds(5), 1000, TimeSpan.FromSeconds(10), 100_000, Pairs: 5);
}
