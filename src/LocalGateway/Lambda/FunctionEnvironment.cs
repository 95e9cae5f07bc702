using System.Globalization;
using System.Text.RegularExpressions;
using SocketRelay.Application.Configuration;
using SocketRelay.Infrastructure.Configuration;
using SocketRelay.LocalGateway.ApiGateway;
using SocketRelay.LocalGateway.Hosting;

namespace SocketRelay.LocalGateway.Lambda;

/// <summary>
/// The environment variables Lambda defines for an OS-only runtime (<c>provided.al2023</c>), as listed in
/// "Defined runtime environment variables" of the Lambda Developer Guide, pointed at the local gateway — and
/// nothing else of the gateway's own environment, so a function that only works because of a variable of one
/// developer's shell fails here, not in AWS. What differs from Lambda (ADR-018): <c>LAMBDA_TASK_ROOT</c> is the
/// folder of the function binary, not <c>/var/task</c>; <c>PATH</c> also holds the folders of this machine's
/// <c>node</c> and <c>dotnet</c> when Lambda's folders do not; the credentials are the ones the local
/// <c>@connections</c> API checks signatures against (<see cref="ConnectionsApiCredentials"/>).
/// </summary>
public static partial class FunctionEnvironment
{
    /// <summary>Lambda's <c>PATH</c> for every runtime.</summary>
    public const string LambdaPath = "/usr/local/bin:/usr/bin/:/bin:/opt/bin";

    /// <summary>Where Lambda keeps the runtime of a managed runtime (empty for <c>provided.al2023</c>): <c>LAMBDA_RUNTIME_DIR</c>.</summary>
    public const string LambdaRuntimeDirectory = "/var/runtime";

    /// <summary>Variables Lambda sets itself and refuses in a function's configuration (<c>CreateFunction</c> answers InvalidParameterValueException).</summary>
    public static IReadOnlySet<string> Reserved { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION", "AWS_REGION", "AWS_EXECUTION_ENV",
        "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION",
        "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME",
        "AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
        "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR",
    };

    /// <summary>
    /// The variables every execution environment of the function shares: the ones Lambda defines (but the
    /// per-environment <c>AWS_LAMBDA_RUNTIME_API</c> and <c>AWS_LAMBDA_LOG_STREAM_NAME</c>, see
    /// <see cref="ForExecutionEnvironment"/>, and the per-invocation <c>_X_AMZN_TRACE_ID</c>), then the function's
    /// own configuration: <c>WEBSOCKET_API_ENDPOINT</c> (the gateway's <c>@connections</c> API), the gateway's
    /// <c>SOCKETRELAY_*</c>, <c>POWERTOOLS_*</c> and <c>AWS_LAMBDA_LOG_LEVEL</c> settings (the variables the
    /// deployment configures), and last <paramref name="userVariables"/> (<c>--function-env</c>), which win.
    /// </summary>
    /// <param name="connectionsEndpoint">The gateway's own base URL; the function posts to <c>{it}/@connections/{id}</c>.</param>
    /// <param name="identity">Region, function name and memory size.</param>
    /// <param name="handler"><c>_HANDLER</c> (<c>--handler</c>).</param>
    /// <param name="taskRoot">The absolute folder of the function binary: <c>LAMBDA_TASK_ROOT</c>, and the working directory.</param>
    /// <param name="userVariables">The function's configured variables; reserved names must already be refused (<see cref="Problems"/>).</param>
    /// <param name="credentials">The key the gateway's <c>@connections</c> API accepts: <c>AWS_ACCESS_KEY_ID</c>, <c>AWS_SECRET_ACCESS_KEY</c>.</param>
    /// <param name="gatewayEnvironment">The gateway's own environment, read only for the names above and for <c>PATH</c>.</param>
    public static Dictionary<string, string?> For(
        Uri connectionsEndpoint, LocalIdentity identity, string handler, string taskRoot,
        IReadOnlyDictionary<string, string> userVariables, ConnectionsApiCredentials credentials, Func<string, string?> gatewayEnvironment)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(connectionsEndpoint);
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(userVariables);
        ArgumentNullException.ThrowIfNull(gatewayEnvironment);
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["_HANDLER"] = handler,
            ["AWS_REGION"] = identity.Region,
            ["AWS_DEFAULT_REGION"] = identity.Region,
            ["AWS_LAMBDA_FUNCTION_NAME"] = identity.FunctionName,
            ["AWS_LAMBDA_FUNCTION_VERSION"] = LocalIdentity.FunctionVersion,
            ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = identity.FunctionMemoryMb.ToString(CultureInfo.InvariantCulture),
            ["AWS_LAMBDA_INITIALIZATION_TYPE"] = "on-demand",
            ["AWS_LAMBDA_LOG_GROUP_NAME"] = identity.LogGroupName,
            ["AWS_ACCESS_KEY"] = credentials.AccessKeyId,
            ["AWS_ACCESS_KEY_ID"] = credentials.AccessKeyId,
            ["AWS_SECRET_ACCESS_KEY"] = credentials.SecretAccessKey,
            ["AWS_SESSION_TOKEN"] = ConnectionsApiCredentials.SessionToken,
            ["LAMBDA_TASK_ROOT"] = taskRoot,
            ["LAMBDA_RUNTIME_DIR"] = LambdaRuntimeDirectory,
            ["AWS_XRAY_CONTEXT_MISSING"] = "LOG_ERROR", // Lambda's: an X-Ray SDK logs, not throws, outside a traced context
            ["TZ"] = ":UTC",
            ["LANG"] = "en_US.UTF-8",
            ["PATH"] = PathFor(gatewayEnvironment("PATH")),
            ["LD_LIBRARY_PATH"] = $"/var/lang/lib:/lib64:/usr/lib64:{LambdaRuntimeDirectory}:{LambdaRuntimeDirectory}/lib:{taskRoot}:{taskRoot}/lib:/opt/lib",
            ["WEBSOCKET_API_ENDPOINT"] = connectionsEndpoint.ToString().TrimEnd('/'),
            ["POWERTOOLS_SERVICE_NAME"] = gatewayEnvironment("POWERTOOLS_SERVICE_NAME") ?? identity.FunctionName,
        };
        foreach (var name in PassedThrough)
        {
            if (gatewayEnvironment(name) is { } value)
            {
                environment[name] = value;
            }
        }

        foreach (var (name, value) in userVariables)
        {
            environment[name] = value;
        }

        return environment;
    }

    /// <summary>
    /// One execution environment's variables: <paramref name="function"/> plus its own Runtime API
    /// (<c>AWS_LAMBDA_RUNTIME_API</c>, <c>host:port</c>) and log stream (<c>AWS_LAMBDA_LOG_STREAM_NAME</c>,
    /// <see cref="LogStreamName"/>). A new environment, after a time-out or a crash, gets a new log stream, as in Lambda.
    /// </summary>
    public static Dictionary<string, string?> ForExecutionEnvironment(IReadOnlyDictionary<string, string?> function, string runtimeApi, DateTimeOffset startedAt) =>
        new(function, StringComparer.Ordinal)
        {
            ["AWS_LAMBDA_RUNTIME_API"] = runtimeApi,
            ["AWS_LAMBDA_LOG_STREAM_NAME"] = LogStreamName(startedAt),
        };

    /// <summary>Lambda's log stream name: <c>yyyy/MM/dd/[$LATEST]</c> then 32 lower-case hex digits, the date in UTC.</summary>
    public static string LogStreamName(DateTimeOffset startedAt) =>
        string.Create(CultureInfo.InvariantCulture, $"{startedAt.UtcDateTime:yyyy'/'MM'/'dd}/[{LocalIdentity.FunctionVersion}]{Guid.NewGuid():N}");

    /// <summary>
    /// Lambda's <see cref="LambdaPath"/>, followed by the folders holding <c>node</c> and <c>dotnet</c> on
    /// <paramref name="gatewayPath"/> when Lambda's folders hold none: a function whose bootstrap starts
    /// <c>node</c> (through <c>#!/usr/bin/env node</c>) or <c>dotnet</c> runs on a machine that installed them
    /// elsewhere (nvm, ~/.dotnet). Nothing else of the developer's <c>PATH</c> is kept.
    /// </summary>
    public static string PathFor(string? gatewayPath)
    {
        var lambdaFolders = LambdaPath.Split(':');
        var folders = new List<string>(lambdaFolders);
        foreach (var tool in (string[])["node", "dotnet"])
        {
            if (lambdaFolders.Any(folder => File.Exists(Path.Combine(folder, tool))))
            {
                continue;
            }

            var found = (gatewayPath ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
                .FirstOrDefault(folder => Path.IsPathFullyQualified(folder) && File.Exists(Path.Combine(folder, tool)));
            if (found is not null && !folders.Contains(found, StringComparer.Ordinal))
            {
                folders.Add(found);
            }
        }

        return string.Join(':', folders);
    }

    /// <summary>
    /// What is wrong with the function's configured variables (<c>--function-env</c>), each named
    /// <c>{switchName} {NAME}</c> (e.g. <c>--function-env AWS_REGION</c>, which <see cref="Hosting.OptionOrigin"/>
    /// traces to where the variable was set): a name that breaks Lambda's rule (a letter, then letters, digits or
    /// <c>_</c>; at least two characters), or one Lambda reserves.
    /// </summary>
    public static IEnumerable<OptionProblem> Problems(IReadOnlyDictionary<string, string> userVariables, string switchName)
    {
        ArgumentNullException.ThrowIfNull(userVariables);
        foreach (var name in userVariables.Keys.Order(StringComparer.Ordinal))
        {
            if (!VariableName().IsMatch(name))
            {
                yield return new($"{switchName} {name}", "is not a variable name Lambda accepts: at least two characters, a letter and then letters, digits or '_'");
            }
            else if (Reserved.Contains(name))
            {
                yield return new($"{switchName} {name}", "is reserved: Lambda sets it and refuses it in a function's configuration");
            }
        }
    }

    /// <summary>
    /// The gateway's own variables that look like the function's settings and are none of them (a
    /// <c>SOCKETRELAY_MAX_CONCURENT_GROUPS</c>): the gateway passes only the function's real settings on, so such a
    /// variable would reach nothing without a word. Each is named by itself, with the setting it is a slip of.
    /// </summary>
    public static IEnumerable<OptionProblem> InheritedProblems(IEnumerable<string> gatewayVariables)
    {
        ArgumentNullException.ThrowIfNull(gatewayVariables);
        foreach (var name in gatewayVariables.Where(FunctionSettings.IsUnknownSetting).Order(StringComparer.Ordinal))
        {
            yield return new(name, OptionNames.Closest(name, FunctionSettings.SettingVariables) is { } meant
                ? $"is not a setting of the function, and the gateway passes only those on (did you mean {meant}?)"
                : $"is not a setting of the function, and the gateway passes only those on: {string.Join(", ", FunctionSettings.SettingVariables)}");
        }
    }

    /// <summary>"1 execution environment", "up to 4 execution environments, started as events need them": for the banner's function line.</summary>
    internal static string Count(int environments) =>
        environments == 1 ? "1 execution environment" : $"up to {environments} execution environments, started as events need them";

    private static readonly string[] PassedThrough =
    [
        "POWERTOOLS_LOG_LEVEL", "AWS_LAMBDA_LOG_LEVEL",
        "POWERTOOLS_METRICS_NAMESPACE", "POWERTOOLS_METRICS_FUNCTION_NAME", "POWERTOOLS_METRICS_DISABLED",
        .. FunctionSettings.SettingVariables,
    ];

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]+$", RegexOptions.CultureInvariant)]
    private static partial Regex VariableName();
}
