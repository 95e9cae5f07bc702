using System.Globalization;
using System.Text;

namespace SocketRelay.LocalGateway.Hosting;

/// <summary>The gateway's command-line options: each maps to a <see cref="GatewayOptions"/> setting.</summary>
public static class CommandLine
{
    private static readonly (string Switch, string Key, string Value, string Help)[] Options =
    [
        ("--host", "Host", "ADDRESS", "address or name to bind (default 127.0.0.1; anything but loopback exposes the gateway)"),
        ("--port", "Port", "PORT", "WebSocket API at /, @connections API at /@connections/{id}, status at /_local/ (default 8080)"),
        ("--data-dir", "DataDir", "DIR", "where the durable queue lives (default ./.socketrelay)"),
        ("--runtime-api-port", "RuntimeApiPort", "PORT", "loopback port of the local Lambda Runtime API (default: a free port)"),
        ("--function-binary", "FunctionBinary", "PATH", "run this published bootstrap as child processes instead of the in-process function"),
        ("--queue", "Queue", "sqlite|sqs", "queue backend (default sqlite)"),
        ("--sqs-queue-url", "SqsQueueUrl", "URL", "the FIFO queue for --queue sqs"),
        ("--sqs-service-url", "SqsServiceUrl", "URL", "an SQS-compatible endpoint for --queue sqs (default: AWS)"),
        ("--pollers", "Pollers", "N", "concurrent event-source pollers, each with its own function environment (default 4)"),
        ("--function-timeout", "FunctionTimeoutSeconds", "SECONDS", "function timeout per event (default 10)"),
        ("--function-name", "FunctionName", "NAME", "the function's name in its ARN, environment and log lines (default socketrelay-local)"),
        ("--function-memory", "FunctionMemoryMb", "MB", "memory the function is told it has, 128-10240 (default 256, as deployed)"),
        ("--region", "Region", "REGION", "AWS region of every ARN, the SQS events, the function's AWS_REGION and --queue sqs (default us-east-1)"),
        ("--visibility-timeout", "VisibilityTimeoutSeconds", "SECONDS", "how long a received message stays hidden (default 60)"),
        ("--max-receive-count", "MaxReceiveCount", "N", "receives before a message moves to the dead-letter queue (default 5)"),
        ("--fault-rate", "FaultRate", "0..1", "testing: share of @connections POSTs failed on purpose, not delivered (default 0)"),
        ("--fault-status", "FaultStatus", "CODES", "testing: statuses for those faults, among 429,500,502,503,504 (default 429,500,503)"),
        ("--fault-latency-ms", "FaultLatencyMs", "MS", "testing: each @connections POST answers up to this much later, at random (default 0)"),
        ("--fault-seed", "FaultSeed", "N", "testing: seed for the fault dice, to repeat a run (default: random)"),
    ];

    /// <summary>Switch → configuration key, for <c>AddCommandLine</c>.</summary>
    public static Dictionary<string, string> SwitchMappings { get; } =
        Options.ToDictionary(o => o.Switch, o => $"{GatewayOptions.SectionName}:{o.Key}", StringComparer.Ordinal);

    /// <summary>The switch that sets the <see cref="GatewayOptions"/> property <paramref name="key"/>, e.g. <c>Port</c> → <c>--port</c>.</summary>
    public static string SwitchFor(string key) => Options.First(o => o.Key == key).Switch;

    public static bool WantsHelp(IReadOnlyList<string> args) => args.Any(a => a is "--help" or "-h" or "-?");

    /// <summary>
    /// What is wrong with the shape of the command line, one line each: an argument that is not a
    /// known switch (with what follows it, up to the next switch), or a switch without its value.
    /// </summary>
    public static IEnumerable<string> Problems(IReadOnlyList<string> args)
    {
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i].Split('=', 2)[0];
            if (!SwitchMappings.ContainsKey(name))
            {
                var unknown = new List<string> { args[i] };
                while (i + 1 < args.Count && !args[i + 1].StartsWith('-'))
                {
                    unknown.Add(args[++i]);
                }

                yield return $"Unknown option '{string.Join(' ', unknown)}': run with --help to list the options.";
            }
            else if (!args[i].Contains('=', StringComparison.Ordinal))
            {
                if (i + 1 == args.Count || SwitchMappings.ContainsKey(args[i + 1].Split('=', 2)[0]))
                {
                    var value = Options.First(o => o.Switch == name).Value;
                    yield return $"Option {name} needs a value: {name} {value} (run with --help for details).";
                }
                else
                {
                    i++; // its value
                }
            }
        }
    }

    public static string Help()
    {
        var text = new StringBuilder();
        text.AppendLine("SocketRelay local gateway: WebSocket API → durable FIFO queue → function → @connections, on one machine.");
        text.AppendLine();
        text.AppendLine("Usage: dotnet run --project src/LocalGateway -- [options]");
        text.AppendLine();
        foreach (var (name, _, value, help) in Options)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {name + " " + value,-34} {help}");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"  {"--help",-34} this text");
        text.AppendLine();
        text.AppendLine("Every option can also be set in appsettings.json (section \"Gateway\") or as an environment variable");
        text.AppendLine("Gateway__<Name> (e.g. Gateway__Port=9000). The function reads SOCKETRELAY_* and POWERTOOLS_* as in AWS.");
        return text.ToString();
    }
}
