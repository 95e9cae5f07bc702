using System.Globalization;
using System.Text;
using SocketRelay.Application.Configuration;

namespace SocketRelay.LocalGateway.Hosting;

/// <summary>The gateway's command-line options: each maps to a <see cref="GatewayOptions"/> setting.</summary>
public static class CommandLine
{
    private static readonly (string Switch, string Key, string Value, string Help)[] Options =
    [
        ("--host", "Host", "ADDRESS", "address or name to bind (default 127.0.0.1; anything but loopback exposes the gateway; the function and console use this address, 127.0.0.1 for 0.0.0.0 or ::)"),
        ("--port", "Port", "PORT", "WebSocket API at / and /{stage}, @connections API at /{stage}/@connections/{id}, status at /_local/ (default 8080)"),
        ("--stage", "Stage", "NAME", "the API's stage: @connections path and the function's WEBSOCKET_API_ENDPOINT (default local)"),
        ("--access-key-id", "AccessKeyId", "KEY", "the function's AWS_ACCESS_KEY_ID, the only key @connections accepts SigV4 signatures from (default " + ApiGateway.ConnectionsApiCredentials.DefaultAccessKeyId + ")"),
        ("--secret-access-key", "SecretAccessKey", "SECRET", "the function's AWS_SECRET_ACCESS_KEY, checked by @connections (default " + ApiGateway.ConnectionsApiCredentials.DefaultSecretAccessKey + ")"),
        ("--data-dir", "DataDir", "DIR", "where the durable queue lives (default ./.socketrelay)"),
        ("--runtime-api-port", "RuntimeApiPort", "PORT", "loopback port of the local Lambda Runtime API of the first execution environment; the next ones take the ports after it: --pollers N needs N consecutive free ports (default: free ports)"),
        ("--function-binary", "FunctionBinary", "PATH", "run this executable (a bootstrap, any language; chmod +x) as the function, one child process per execution environment, started as events need them"),
        ("--handler", "Handler", "NAME", "the function's handler, given to it as _HANDLER, e.g. index.handler for Node.js (default bootstrap)"),
        ("--function-env", FunctionEnvironmentKey, "NAME=VALUE", "a variable of the function's configuration; repeat for more (overrides appsettings.json)"),
        ("--queue", "Queue", "sqlite|sqs", "queue backend (default sqlite)"),
        ("--sqs-queue-url", "SqsQueueUrl", "URL", "the FIFO queue for --queue sqs"),
        ("--sqs-service-url", "SqsServiceUrl", "URL", "an SQS-compatible endpoint for --queue sqs (default: AWS)"),
        ("--pollers", "Pollers", "N", "concurrent event-source pollers, each with its own function execution environment, started when events find the others busy, 1-64 (default 8)"),
        ("--function-timeout", "FunctionTimeoutSeconds", "SECONDS", "function timeout per event, 1–900 (default 10); in-process it must exceed the function's deadline safety margin, SOCKETRELAY_DEADLINE_MARGIN_MS (2000 ms unless set with --function-env)"),
        ("--function-name", "FunctionName", "NAME", "the function's name in its ARN, environment and log lines (default socketrelay-local)"),
        ("--function-memory", "FunctionMemoryMb", "MB", "memory the function is told it has, 128-10240 (default 256, as deployed)"),
        ("--region", "Region", "REGION", "AWS region of every ARN, the SQS events, the function's AWS_REGION, @connections' SigV4 scope and --queue sqs (default us-east-1)"),
        ("--visibility-timeout", "VisibilityTimeoutSeconds", "SECONDS", "how long a received message stays hidden, from --function-timeout to 43200 (default 60)"),
        ("--max-receive-count", "MaxReceiveCount", "N", "receives before a message moves to the dead-letter queue, 1–1000 as in SQS's redrive policy (default 5)"),
        ("--fault-rate", "FaultRate", "0..1", "testing: share of @connections POSTs failed on purpose, not delivered (default 0)"),
        ("--fault-status", "FaultStatus", "CODES", "testing: statuses for those faults, among 429,500,502,503,504 (default 429,500,503)"),
        ("--fault-latency-ms", "FaultLatencyMs", "MS", "testing: each @connections POST answers up to this much later, at random (default 0)"),
        ("--fault-seed", "FaultSeed", "N", "testing: seed for the fault dice, to repeat a run (default: random)"),
    ];

    private const string FunctionEnvironmentKey = nameof(GatewayOptions.FunctionEnvironment);
    private const string FunctionEnvironmentSwitch = "--function-env";

    /// <summary>Switch → configuration key, for <c>AddCommandLine</c> (over <see cref="ToConfigurationArguments"/>).</summary>
    public static Dictionary<string, string> SwitchMappings { get; } =
        Options.Where(o => o.Key != FunctionEnvironmentKey).ToDictionary(o => o.Switch, o => $"{GatewayOptions.SectionName}:{o.Key}", StringComparer.Ordinal);

    private static readonly HashSet<string> Switches = [.. Options.Select(o => o.Switch)];

    /// <summary>Every key of the <c>Gateway</c> configuration section: one per option, plus <c>DevConsole</c> (no switch).</summary>
    public static IReadOnlySet<string> ConfigurationKeys { get; } =
        new HashSet<string>(Options.Select(o => o.Key).Append(nameof(GatewayOptions.DevConsole)), StringComparer.OrdinalIgnoreCase);

    /// <summary>The environment variable that sets the option with configuration key <paramref name="key"/>, e.g. <c>Gateway__Port</c>.</summary>
    public static string VariableFor(string key) =>
        key == FunctionEnvironmentKey ? $"{GatewayOptions.SectionName}__{key}__NAME" : $"{GatewayOptions.SectionName}__{key}";

    /// <summary>
    /// The arguments as <c>AddCommandLine</c> takes them: each repeatable <c>--function-env NAME=VALUE</c> (or
    /// <c>--function-env=NAME=VALUE</c>) becomes the key <c>Gateway:FunctionEnvironment:NAME</c>, so every one
    /// is kept, not only the last. Run <see cref="Problems"/> first: a malformed one is left out here.
    /// </summary>
    public static IReadOnlyList<string> ToConfigurationArguments(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var result = new List<string>(args.Count);
        for (var i = 0; i < args.Count; i++)
        {
            string? assignment = null;
            if (args[i] == FunctionEnvironmentSwitch && i + 1 < args.Count)
            {
                assignment = args[++i];
            }
            else if (args[i].StartsWith(FunctionEnvironmentSwitch + "=", StringComparison.Ordinal))
            {
                assignment = args[i][(FunctionEnvironmentSwitch.Length + 1)..];
            }
            else
            {
                result.Add(args[i]);
                continue;
            }

            if (VariableAssignment(assignment) is { } variable)
            {
                result.Add($"--{GatewayOptions.SectionName}:{FunctionEnvironmentKey}:{variable.Name}={variable.Value}");
            }
        }

        return result;
    }

    private static (string Name, string Value)? VariableAssignment(string text)
    {
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        return equals > 0 && !text[..equals].Contains(':', StringComparison.Ordinal) ? (text[..equals], text[(equals + 1)..]) : null;
    }

    /// <summary>The switch that sets the <see cref="GatewayOptions"/> property <paramref name="key"/>, e.g. <c>Port</c> → <c>--port</c>.</summary>
    public static string SwitchFor(string key) => Options.First(o => o.Key == key).Switch;

    public static bool WantsHelp(IReadOnlyList<string> args) => args.Any(a => a is "--help" or "-h" or "-?");

    /// <summary>
    /// What is wrong with the shape of the command line, one line each: an argument that is not a
    /// known switch (named alone, with the switch it is a typing slip of, if one is; the values that
    /// follow it, up to the next switch, are its own and not reported again), a switch without its
    /// value, or a switch given more than once (one line however often; only <c>--function-env</c>
    /// repeats, each variable once; otherwise the last value would win unseen).
    /// </summary>
    public static IEnumerable<string> Problems(IReadOnlyList<string> args)
    {
        var given = new HashSet<string>(StringComparer.Ordinal);
        var repeated = new HashSet<string>(StringComparer.Ordinal);
        var unknowns = new HashSet<string>(StringComparer.Ordinal);
        var variables = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i].Split('=', 2)[0];
            if (!Switches.Contains(name))
            {
                // Its values run up to the next switch; a value may start with '-' (a negative number), a switch with '--'.
                while (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal) && !WantsHelp([args[i + 1]]))
                {
                    i++;
                }

                if (!unknowns.Add(name))
                {
                    continue;
                }

                yield return ClosestSwitch(name) is { } meant
                    ? $"Unknown option '{name}': did you mean {meant}? Run with --help to list the options."
                    : $"Unknown option '{name}': run with --help to list the options.";
                continue;
            }

            if (name != FunctionEnvironmentSwitch && !given.Add(name) && repeated.Add(name))
            {
                yield return $"Option {name} is given more than once: give it once (only {FunctionEnvironmentSwitch} repeats).";
            }

            var inline = args[i].Contains('=', StringComparison.Ordinal);
            if (!inline && (i + 1 == args.Count || Switches.Contains(args[i + 1].Split('=', 2)[0])))
            {
                var placeholder = Options.First(o => o.Switch == name).Value;
                yield return $"Option {name} needs a value: {name} {placeholder} (run with --help for details).";
                continue;
            }

            var value = inline ? args[i][(name.Length + 1)..] : args[++i];
            if (name != FunctionEnvironmentSwitch)
            {
                continue;
            }

            if (VariableAssignment(value) is not { } variable)
            {
                yield return $"Option {name} takes NAME=VALUE, such as {name} TABLE_NAME=orders (was '{value}').";
            }
            else if (!variables.Add(variable.Name))
            {
                yield return $"Option {name} sets {variable.Name} more than once: give each variable once.";
            }
        }
    }

    /// <summary>
    /// The switch <paramref name="name"/> is a slip of: the one nearest to it, ignoring case, if it is
    /// within two edits (a letter left out, added, changed, or two swapped count as one) and no other
    /// switch is as near; otherwise null.
    /// </summary>
    internal static string? ClosestSwitch(string name) =>
        name.StartsWith("--", StringComparison.Ordinal) ? OptionNames.Closest(name, Switches) : null;

    /// <summary>
    /// The configuration key (<c>Port</c>, <c>FunctionTimeoutSeconds</c>) an unknown <c>Gateway</c> key is a slip
    /// of, by the same rule as <see cref="ClosestSwitch"/>; otherwise null.
    /// </summary>
    internal static string? ClosestKey(string key) => OptionNames.Closest(key, ConfigurationKeys);

    public static string Help()
    {
        var text = new StringBuilder();
        text.AppendLine("SocketRelay local gateway: WebSocket API → durable FIFO queue → function → @connections, on one machine.");
        text.AppendLine();
        text.AppendLine("Usage: dotnet run --project src/LocalGateway -- [options]");
        text.AppendLine();
        foreach (var (name, key, value, help) in Options)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {name + " " + value,-34} {help} [{VariableFor(key)}]");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"  {"--help",-34} this text");
        text.AppendLine();
        text.AppendLine("Every option can also be set in appsettings.json (section \"Gateway\") or as the environment variable in brackets");
        text.AppendLine("(e.g. Gateway__Port=9000; Gateway__DevConsole=false turns the console off); an unknown Gateway__ name is refused. The function gets the variables Lambda defines, WEBSOCKET_API_ENDPOINT,");
        text.AppendLine("the gateway's SOCKETRELAY_*, POWERTOOLS_* and AWS_LAMBDA_LOG_LEVEL, and each --function-env: not the rest of this shell.");
        return text.ToString();
    }
}
