using System.Globalization;
using Microsoft.Extensions.Configuration;
using SocketRelay.Application.Configuration;
using SocketRelay.LocalGateway.ApiGateway;
using SocketRelay.LocalGateway.EventSource;
using SocketRelay.LocalGateway.Queue.Sqs;

namespace SocketRelay.LocalGateway.Hosting;

/// <summary>Every setting of the local gateway; bound from the command line, <c>appsettings.json</c> and <c>Gateway__*</c> environment variables.</summary>
public sealed class GatewayOptions
{
    public const string SectionName = "Gateway";

    /// <summary>The address Kestrel binds. Anything but loopback exposes the gateway to the network.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>WebSocket API at <c>/</c> and <c>/{stage}</c>, management API at <c>/{stage}/@connections/{id}</c>, status at <c>/_local/</c>.</summary>
    public int Port { get; set; } = 8080;

    /// <summary>The API's stage: the <c>@connections</c> path prefix and the function's <c>WEBSOCKET_API_ENDPOINT</c> path.</summary>
    public string Stage { get; set; } = ApiGatewayOptions.DefaultStage;

    /// <summary>The function's <c>AWS_ACCESS_KEY_ID</c>, the only access key <c>@connections</c> accepts signatures from.</summary>
    public string AccessKeyId { get; set; } = ConnectionsApiCredentials.DefaultAccessKeyId;

    /// <summary>The function's <c>AWS_SECRET_ACCESS_KEY</c>, the secret <c>@connections</c> checks signatures with.</summary>
    public string SecretAccessKey { get; set; } = ConnectionsApiCredentials.DefaultSecretAccessKey;

    public string DataDir { get; set; } = ".socketrelay";

    /// <summary>The Lambda Runtime API's loopback port of the first execution environment (each has its own; the next take the ports after it); 0 takes free ports.</summary>
    public int RuntimeApiPort { get; set; }

    /// <summary>A published <c>bootstrap</c> to run as child processes instead of the in-process function.</summary>
    public string? FunctionBinary { get; set; }

    /// <summary>The function's handler, given to it as <c>_HANDLER</c> (e.g. <c>index.handler</c> for AWS's Node.js runtime client); the deployment's <c>bootstrap</c> by default.</summary>
    public string Handler { get; set; } = "bootstrap";

    /// <summary>The function's configured variables (<c>--function-env NAME=VALUE</c>, repeatable; <c>FunctionEnvironment</c> in appsettings.json), added to the environment Lambda defines.</summary>
    public Dictionary<string, string> FunctionEnvironment { get; } = new(StringComparer.Ordinal);

    /// <summary><c>sqlite</c> (durable, embedded; the default) or <c>sqs</c> (Amazon SQS or any SQS-compatible endpoint).</summary>
    public string Queue { get; set; } = "sqlite";

    public string? SqsQueueUrl { get; set; }

    public string? SqsServiceUrl { get; set; }

    public int Pollers { get; set; } = EventSourceOptions.DefaultPollers;

    public int FunctionTimeoutSeconds { get; set; } = 10;

    /// <summary>The AWS region of every local ARN, of the SQS event records, and the function's <c>AWS_REGION</c> (its SigV4 signing region).</summary>
    public string Region { get; set; } = LocalIdentity.DefaultRegion;

    /// <summary>The function's name: <c>AWS_LAMBDA_FUNCTION_NAME</c>, its ARN, its log group and its log lines.</summary>
    public string FunctionName { get; set; } = LocalIdentity.DefaultFunctionName;

    /// <summary>Memory in MB the function is told it has (<c>AWS_LAMBDA_FUNCTION_MEMORY_SIZE</c>); not enforced locally.</summary>
    public int FunctionMemoryMb { get; set; } = LocalIdentity.DefaultFunctionMemoryMb;

    public int VisibilityTimeoutSeconds { get; set; } = 60;

    /// <summary>Lambda's largest function timeout, in seconds (15 minutes).</summary>
    public const int MaxFunctionTimeoutSeconds = 900;

    /// <summary>SQS's largest visibility timeout, in seconds (12 hours).</summary>
    public const int MaxVisibilityTimeoutSeconds = 43_200;

    public int MaxReceiveCount { get; set; } = 5;

    /// <summary>Testing: the share (0–1) of <c>@connections</c> <c>POST</c>s answered with a <see cref="FaultStatus"/> instead of delivered.</summary>
    public double FaultRate { get; set; }

    /// <summary>Testing: comma-separated statuses for injected faults, among 429, 500, 502, 503, 504.</summary>
    public string FaultStatus { get; set; } = "429,500,503";

    /// <summary>Testing: each <c>@connections</c> <c>POST</c> answers up to this many milliseconds late (random).</summary>
    public int FaultLatencyMs { get; set; }

    /// <summary>Testing: seeds the fault dice so a run can be repeated.</summary>
    public int? FaultSeed { get; set; }

    /// <summary>
    /// The developer console at <c>/_local/</c> and its bookkeeping (on by default; set
    /// <c>Gateway__DevConsole=false</c> to measure the pipeline without it).
    /// </summary>
    public bool DevConsole { get; set; } = true;

    /// <summary>
    /// Sections of <paramref name="configuration"/> named like the gateway's and not the same (<c>Gatway__Port</c>,
    /// <c>"Gatway": { … }</c> in <c>appsettings.json</c>): their settings would be ignored without a word. Only a
    /// key with settings under it counts, so a lone variable such as <c>GATEWAY_URL</c> is never taken for one.
    /// </summary>
    public static IEnumerable<OptionProblem> MisspeltSections(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        foreach (var section in configuration.GetChildren())
        {
            if (!string.Equals(section.Key, SectionName, StringComparison.OrdinalIgnoreCase)
                && OptionNames.Closest(section.Key, [SectionName]) is not null
                && section.GetChildren().Any())
            {
                yield return new(section.Key, $"is not the gateway's section (did you mean {SectionName}?): its settings are {SectionName}__NAME variables or \"{SectionName}\" in appsettings.json");
            }
        }
    }

    /// <summary>
    /// Reads the <c>Gateway</c> section (command line, <c>appsettings.json</c>, <c>Gateway__*</c>
    /// variables). A value that is not a number where one is needed is added to
    /// <paramref name="problems"/> by its switch (e.g. <c>--port must be a whole number (was 'abc')</c>)
    /// and the default kept; ranges are checked by <see cref="Problems"/>.
    /// </summary>
    public static GatewayOptions Load(IConfiguration section, ICollection<OptionProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(problems);
        var options = new GatewayOptions();
        foreach (var known in section.GetChildren().Where(c => CommandLine.ConfigurationKeys.Contains(c.Key)))
        {
            // Gateway__Port__X is no setting, and Gateway__FunctionEnvironment=A=1 sets no variable: both would
            // otherwise be ignored without a word.
            var isVariables = string.Equals(known.Key, nameof(FunctionEnvironment), StringComparison.OrdinalIgnoreCase);
            var listReported = false;
            foreach (var nested in isVariables ? known.GetChildren().SelectMany(v => v.GetChildren()) : known.GetChildren())
            {
                var name = $"{SectionName}__{nested.Path[(SectionName.Length + 1)..].Replace(ConfigurationPath.KeyDelimiter, "__", StringComparison.Ordinal)}";
                if (!isVariables && IsListElement(nested))
                {
                    // "FaultStatus": [429, 503] in appsettings.json: one problem for the list, saying how to write it.
                    if (!listReported)
                    {
                        listReported = true;
                        problems.Add(new(name, $"is an element of a list, but {known.Key} takes one value" + (string.Equals(known.Key, nameof(FaultStatus), StringComparison.OrdinalIgnoreCase)
                            ? ": write the codes in one string, separated by commas, e.g. \"429,503\""
                            : "")));
                    }

                    continue;
                }

                problems.Add(new(name, "is not a setting of the gateway: run with --help for each option's variable"));
            }

            if (!isVariables && known.Value is null && !known.GetChildren().Any())
            {
                // "Port": null (or {} or []) in appsettings.json: the key is there with no value, which would
                // otherwise leave the default in force without a word.
                problems.Add(new(Switch(known.Key), "has no value (null, or an empty object or list): give it one, or leave the setting out for its default"));
            }

            if (isVariables && known.GetChildren().Any(IsListElement))
            {
                // "FunctionEnvironment": ["A=1"] in appsettings.json binds as a variable named "0".
                problems.Add(new($"{SectionName}__{known.Key}", "is a list, but variables are given by name: as --function-env NAME=VALUE, Gateway__FunctionEnvironment__NAME=VALUE or \"FunctionEnvironment\": { \"NAME\": \"VALUE\" } in appsettings.json"));
            }

            if (isVariables && known.Value is not null)
            {
                problems.Add(new($"{SectionName}__{known.Key}", "sets no variable: give each by its name, as --function-env NAME=VALUE, Gateway__FunctionEnvironment__NAME=VALUE or \"FunctionEnvironment\": { \"NAME\": \"VALUE\" } in appsettings.json"));
            }
        }

        foreach (var unknown in section.GetChildren().Where(c => !CommandLine.ConfigurationKeys.Contains(c.Key)))
        {
            // A mistyped Gateway__Prot would otherwise be ignored without a word, as a mistyped flag is not.
            problems.Add(new($"{SectionName}__{unknown.Key}", CommandLine.ClosestKey(unknown.Key) is { } meant
                ? $"is not a setting of the gateway: did you mean {SectionName}__{meant}? Run with --help for each option's variable"
                : "is not a setting of the gateway: run with --help for each option's variable"));
        }

        options.Host = section[nameof(Host)] ?? options.Host;
        options.Port = Integer(section, nameof(Port), problems) ?? options.Port;
        options.Stage = section[nameof(Stage)] ?? options.Stage;
        options.AccessKeyId = section[nameof(AccessKeyId)] ?? options.AccessKeyId;
        options.SecretAccessKey = section[nameof(SecretAccessKey)] ?? options.SecretAccessKey;
        options.DataDir = section[nameof(DataDir)] ?? options.DataDir;
        options.RuntimeApiPort = Integer(section, nameof(RuntimeApiPort), problems) ?? options.RuntimeApiPort;
        options.FunctionBinary = section[nameof(FunctionBinary)] ?? options.FunctionBinary;
        options.Handler = section[nameof(Handler)] ?? options.Handler;
        foreach (var variable in section.GetSection(nameof(FunctionEnvironment)).GetChildren().Where(v => !IsListElement(v)))
        {
            options.FunctionEnvironment[variable.Key] = variable.Value ?? "";
        }

        options.Queue = section[nameof(Queue)] ?? options.Queue;
        options.SqsQueueUrl = section[nameof(SqsQueueUrl)] ?? options.SqsQueueUrl;
        options.SqsServiceUrl = section[nameof(SqsServiceUrl)] ?? options.SqsServiceUrl;
        options.Pollers = Integer(section, nameof(Pollers), problems) ?? options.Pollers;
        options.FunctionTimeoutSeconds = Integer(section, nameof(FunctionTimeoutSeconds), problems) ?? options.FunctionTimeoutSeconds;
        options.Region = section[nameof(Region)] ?? options.Region;
        options.FunctionName = section[nameof(FunctionName)] ?? options.FunctionName;
        options.FunctionMemoryMb = Integer(section, nameof(FunctionMemoryMb), problems) ?? options.FunctionMemoryMb;
        options.VisibilityTimeoutSeconds = Integer(section, nameof(VisibilityTimeoutSeconds), problems) ?? options.VisibilityTimeoutSeconds;
        options.MaxReceiveCount = Integer(section, nameof(MaxReceiveCount), problems) ?? options.MaxReceiveCount;
        options.FaultStatus = section[nameof(FaultStatus)] ?? options.FaultStatus;
        options.FaultLatencyMs = Integer(section, nameof(FaultLatencyMs), problems) ?? options.FaultLatencyMs;
        options.FaultSeed = Integer(section, nameof(FaultSeed), problems) ?? options.FaultSeed;
        var console = section[nameof(DevConsole)];
        if (console is not null)
        {
            if (bool.TryParse(console, out var on))
            {
                options.DevConsole = on;
            }
            else
            {
                problems.Add(new("Gateway__DevConsole", $"must be true or false (was '{console}')"));
            }
        }

        var rate = section[nameof(FaultRate)];
        if (rate is not null)
        {
            if (double.TryParse(rate, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                options.FaultRate = value;
            }
            else
            {
                problems.Add(new(Switch(nameof(FaultRate)), $"must be a number between 0 and 1, such as 0.2 (was '{rate}')"));
            }
        }

        return options;
    }

    private static int? Integer(IConfiguration section, string key, ICollection<OptionProblem> problems)
    {
        var text = section[key];
        if (text is null)
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        // A whole number beyond any option's range is too large or too small, not "not a whole number".
        problems.Add(new(Switch(key), System.Numerics.BigInteger.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var huge)
            ? $"is too {(huge.Sign > 0 ? "large" : "small")} (was {text})"
            : $"must be a whole number (was '{text}')"));
        return null;
    }

    /// <summary>The fault settings in the shape the <c>@connections</c> API takes; an unreadable status list yields no codes.</summary>
    public ConnectionsFaultOptions ToFaultOptions() => new()
    {
        Rate = FaultRate,
        StatusCodes = ParseStatusCodes(FaultStatus),
        LatencyMs = FaultLatencyMs,
        Seed = FaultSeed,
    };

    private static List<int> ParseStatusCodes(string text)
    {
        var codes = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var code))
            {
                return [];
            }

            codes.Add(code);
        }

        return codes;
    }

    /// <summary>
    /// Sets the emulated API Gateway's stage, region (<paramref name="identity"/>'s), the credentials it accepts
    /// and the fault settings from these options.
    /// </summary>
    public void ConfigureApiGateway(ApiGatewayOptions api, LocalIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(identity);
        api.Stage = Stage;
        api.Region = identity.Region;
        api.Credentials = new ConnectionsApiCredentials(AccessKeyId, SecretAccessKey);
        api.Faults = ToFaultOptions();
    }

    /// <summary>The one account, region and function every ARN, header and log line is built from.</summary>
    public LocalIdentity ToIdentity() => LocalIdentity.From(this);

    /// <summary>
    /// Every setting that is out of range or missing, named by its command-line switch (e.g.
    /// <c>--port must be 0–65535 (was 70000)</c>), including those of the components these settings
    /// configure (faults, the SQS queue).
    /// </summary>
    /// <param name="gatewayEnvironment">The gateway's own environment, read for the in-process function's
    /// <c>SOCKETRELAY_DEADLINE_MARGIN_MS</c> when <c>--function-env</c> does not set it; null reads none.
    /// A <c>--function-binary</c> may be any runtime, whose margin the gateway cannot know: not checked then.</param>
    public IEnumerable<OptionProblem> Problems(Func<string, string?>? gatewayEnvironment = null)
    {
        foreach (var problem in ToFaultOptions().Problems())
        {
            if (problem.Name == nameof(ConnectionsFaultOptions.StatusCodes))
            {
                // As the user wrote it: '429 503' parses to no codes at all, which the fault options would show as ''.
                yield return new(Switch(nameof(FaultStatus)), $"{ConnectionsFaultOptions.MustListAllowedCodes}, separated by commas (was '{FaultStatus}')");
                continue;
            }

            yield return problem.Renamed(problem.Name switch
            {
                nameof(ConnectionsFaultOptions.Rate) => Switch(nameof(FaultRate)),
                nameof(ConnectionsFaultOptions.StatusCodes) => Switch(nameof(FaultStatus)),
                _ => Switch(nameof(FaultLatencyMs)),
            });
        }

        var api = new ApiGatewayOptions { Stage = Stage, Credentials = new ConnectionsApiCredentials(AccessKeyId, SecretAccessKey) };
        foreach (var problem in api.Problems())
        {
            var name = problem.Name switch
            {
                nameof(ApiGatewayOptions.Stage) => Switch(nameof(Stage)),
                nameof(ConnectionsApiCredentials.AccessKeyId) => Switch(nameof(AccessKeyId)),
                nameof(ConnectionsApiCredentials.SecretAccessKey) => Switch(nameof(SecretAccessKey)),
                _ => null,
            };
            if (name is not null)
            {
                yield return problem.Renamed(name);
            }
        }

        if (string.IsNullOrWhiteSpace(Host))
        {
            yield return new(Switch(nameof(Host)), "must name an address or host name to bind, such as 127.0.0.1 (was empty)");
        }

        if (Port is < 0 or > 65535)
        {
            yield return new(Switch(nameof(Port)), $"must be 0–65535 (was {Port})");
        }

        if (string.IsNullOrWhiteSpace(DataDir))
        {
            yield return new(Switch(nameof(DataDir)), "must name the directory of the durable queue, such as ./.socketrelay (was empty)");
        }

        if (RuntimeApiPort is < 0 or > 65535)
        {
            yield return new(Switch(nameof(RuntimeApiPort)), $"must be 0–65535 (was {RuntimeApiPort})");
        }
        else if (RuntimeApiPort > 0 && Pollers is >= 1 and <= EventSourceOptions.MaxPollers && RuntimeApiPort + Pollers - 1 > 65535)
        {
            yield return new(Switch(nameof(RuntimeApiPort)), $"takes {Pollers} consecutive ports, one per --pollers environment, and {RuntimeApiPort}–{RuntimeApiPort + Pollers - 1} runs past 65535; give at most {65536 - Pollers}");
        }
        else if (RuntimeApiPort > 0 && Pollers is >= 1 and <= EventSourceOptions.MaxPollers && Port >= RuntimeApiPort && Port <= RuntimeApiPort + Pollers - 1)
        {
            yield return new(Switch(nameof(RuntimeApiPort)), Pollers == 1
                ? $"takes port {RuntimeApiPort} for the Runtime API, the same as --port; choose another"
                : $"takes ports {RuntimeApiPort}–{RuntimeApiPort + Pollers - 1}, one per --pollers environment, and --port {Port} is among them; choose ports apart");
        }

        if (Queue is not ("sqlite" or "sqs"))
        {
            yield return new(Switch(nameof(Queue)), $"must be sqlite or sqs (was '{Queue}')");
        }

        if (Queue == "sqs")
        {
            foreach (var problem in new SqsQueueOptions { QueueUrl = SqsQueueUrl ?? "", ServiceUrl = SqsServiceUrl, Region = Region }.Problems())
            {
                yield return problem.Renamed(problem.Name switch
                {
                    nameof(SqsQueueOptions.QueueUrl) => Switch(nameof(SqsQueueUrl)),
                    nameof(SqsQueueOptions.ServiceUrl) => Switch(nameof(SqsServiceUrl)),
                    _ => Switch(nameof(Region)),
                });
            }
        }
        else if (Queue == "sqlite" && (!string.IsNullOrEmpty(SqsQueueUrl) || !string.IsNullOrEmpty(SqsServiceUrl)))
        {
            var option = Switch(string.IsNullOrEmpty(SqsQueueUrl) ? nameof(SqsServiceUrl) : nameof(SqsQueueUrl));
            yield return new(option, $"applies only with --queue sqs, and the queue is the local one (sqlite): add --queue sqs, or leave {option} out");
        }

        foreach (var problem in LocalIdentity.Problems(this))
        {
            yield return problem;
        }

        if (string.IsNullOrWhiteSpace(Handler))
        {
            yield return new(Switch(nameof(Handler)), "must name the function's handler, such as index.handler (was empty)");
        }

        foreach (var problem in global::SocketRelay.LocalGateway.Lambda.FunctionEnvironment.Problems(FunctionEnvironment, Switch(nameof(FunctionEnvironment))))
        {
            yield return problem;
        }

        if (Pollers is < 1 or > EventSourceOptions.MaxPollers)
        {
            yield return new(Switch(nameof(Pollers)), $"must be 1–{EventSourceOptions.MaxPollers}, one execution environment each (was {Pollers})");
        }

        if (FunctionTimeoutSeconds is < 1 or > MaxFunctionTimeoutSeconds)
        {
            yield return new(Switch(nameof(FunctionTimeoutSeconds)), $"must be 1–{MaxFunctionTimeoutSeconds} seconds, as Lambda allows (was {FunctionTimeoutSeconds})");
        }
        else if (FunctionBinary is null && DeadlineSafetyMargin(gatewayEnvironment) is var margin && FunctionTimeoutSeconds * 1000L <= margin.Ms)
        {
            yield return new(
                Switch(nameof(FunctionTimeoutSeconds)),
                $"must be more than the function's deadline safety margin, {margin.Ms} ms (SOCKETRELAY_DEADLINE_MARGIN_MS, {margin.Source}), or no message ever starts (was {FunctionTimeoutSeconds} s); raise it, or set a smaller margin with --function-env SOCKETRELAY_DEADLINE_MARGIN_MS=<ms>");
        }

        if (VisibilityTimeoutSeconds > MaxVisibilityTimeoutSeconds)
        {
            yield return new(Switch(nameof(VisibilityTimeoutSeconds)), $"must be at most {MaxVisibilityTimeoutSeconds} seconds (12 hours), as SQS allows (was {VisibilityTimeoutSeconds})");
        }
        else if (VisibilityTimeoutSeconds < FunctionTimeoutSeconds)
        {
            yield return new(Switch(nameof(VisibilityTimeoutSeconds)), $"must be at least --function-timeout ({FunctionTimeoutSeconds} s) (was {VisibilityTimeoutSeconds} s)");
        }

        if (MaxReceiveCount is < 1 or > 1000)
        {
            yield return new(Switch(nameof(MaxReceiveCount)), $"must be 1–1000 (was {MaxReceiveCount})");
        }
    }

    /// <summary>
    /// The function's <c>DeadlineSafetyMargin</c> in ms, as the function will read it, and where it comes from:
    /// <c>SOCKETRELAY_DEADLINE_MARGIN_MS</c> from <c>--function-env</c>, else from the gateway's environment (passed
    /// through), else the default, 2000 ms. A value that is not a whole number counts as the default here; the
    /// function refuses it at start.
    /// </summary>
    internal (long Ms, string Source) DeadlineSafetyMargin(Func<string, string?>? gatewayEnvironment)
    {
        const string name = "SOCKETRELAY_DEADLINE_MARGIN_MS";
        var (text, source) = FunctionEnvironment.TryGetValue(name, out var configured)
            ? (configured, "set with --function-env")
            : (gatewayEnvironment?.Invoke(name), "from the gateway's environment");
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            ? (ms, source)
            : ((long)new Application.Batches.BatchProcessingOptions().DeadlineSafetyMargin.TotalMilliseconds, "the function's default");
    }

    private static string Switch(string property) => CommandLine.SwitchFor(property);

    /// <summary>A JSON list's element, as configuration binds it: a key of digits (no variable or setting is named so).</summary>
    private static bool IsListElement(IConfigurationSection section) => section.Key.All(char.IsAsciiDigit);
}
