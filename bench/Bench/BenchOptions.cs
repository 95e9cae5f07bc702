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

    public int Pollers { get; private set; } = 4;

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

    /// <summary>batch, function (cold start, RSS, zip) or e2e; all when <c>--only</c> is not given.</summary>
    public bool Runs(string benchmark) => Only.Count == 0 || Only.Contains(benchmark);

    public string Require(string? value, string option) =>
        value ?? throw new ArgumentException($"{option} is required for this benchmark");

    public EndToEndSettings EndToEnd() => Quick
        ? new(Connections, 1000, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(6), 1, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(3), 1000, 40_000, 1, 200)
        : new(Connections, 1000, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(20), 3, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10), 1000, 40_000, 3, 200);
}
