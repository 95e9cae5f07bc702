using Microsoft.Extensions.Logging;

namespace SocketRelay.Infrastructure.Logging;

/// <summary>A remark about the logging configuration, worth a warning line once logging is up.</summary>
internal sealed record LogConfigurationNotice(string MessageTemplate, params object?[] Values);

/// <summary>
/// The service name and minimum level, read from the environment as Powertools for AWS Lambda (.NET)
/// reads them:
/// <list type="number">
/// <item><c>AWS_LAMBDA_LOG_LEVEL</c> (Lambda advanced logging controls: TRACE, DEBUG, INFO, WARN,
/// ERROR, FATAL) wins when set, since Lambda drops anything below it anyway;</item>
/// <item>otherwise <c>POWERTOOLS_LOG_LEVEL</c> (Trace, Debug, Information, Warning, Error, Critical,
/// None, case-insensitive; the Lambda spellings are accepted too);</item>
/// <item>otherwise Information.</item>
/// </list>
/// A value that is not a level is ignored and reported, as is a <c>POWERTOOLS_LOG_LEVEL</c> that
/// advanced logging controls override.
/// </summary>
internal sealed record LambdaLogSettings(string Service, LogLevel MinimumLevel, IReadOnlyList<LogConfigurationNotice> Notices)
{
    public const string ServiceVariable = "POWERTOOLS_SERVICE_NAME";
    public const string PowertoolsLevelVariable = "POWERTOOLS_LOG_LEVEL";
    public const string LambdaLevelVariable = "AWS_LAMBDA_LOG_LEVEL";
    public const LogLevel DefaultLevel = LogLevel.Information;

    private static readonly Dictionary<string, LogLevel> LambdaLevels = new(StringComparer.OrdinalIgnoreCase)
    {
        ["TRACE"] = LogLevel.Trace,
        ["DEBUG"] = LogLevel.Debug,
        ["INFO"] = LogLevel.Information,
        ["WARN"] = LogLevel.Warning,
        ["ERROR"] = LogLevel.Error,
        ["FATAL"] = LogLevel.Critical,
    };

    private static readonly Dictionary<string, LogLevel> PowertoolsLevels = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Trace"] = LogLevel.Trace,
        ["Debug"] = LogLevel.Debug,
        ["Information"] = LogLevel.Information,
        ["Warning"] = LogLevel.Warning,
        ["Error"] = LogLevel.Error,
        ["Critical"] = LogLevel.Critical,
        ["None"] = LogLevel.None,
    };

    public static LambdaLogSettings FromEnvironment(Func<string, string?> getEnvironmentVariable)
    {
        ArgumentNullException.ThrowIfNull(getEnvironmentVariable);
        var notices = new List<LogConfigurationNotice>();
        var service = getEnvironmentVariable(ServiceVariable)?.Trim();
        var lambdaValue = getEnvironmentVariable(LambdaLevelVariable)?.Trim();
        var powertoolsValue = getEnvironmentVariable(PowertoolsLevelVariable)?.Trim();

        var lambdaLevel = Parse(lambdaValue, LambdaLevelVariable, notices, LambdaLevels);
        var powertoolsLevel = Parse(powertoolsValue, PowertoolsLevelVariable, notices, PowertoolsLevels, LambdaLevels);

        if (lambdaLevel is { } alc && powertoolsLevel is { } requested && requested != alc)
        {
            notices.Add(new(
                "{aws_lambda_log_level_variable}={aws_lambda_log_level} (Lambda advanced logging controls) takes precedence over {powertools_log_level_variable}={powertools_log_level}: logging at {log_level}",
                LambdaLevelVariable,
                lambdaValue,
                PowertoolsLevelVariable,
                powertoolsValue,
                alc.ToString()));
        }

        var level = lambdaLevel ?? powertoolsLevel ?? DefaultLevel;
        return new(string.IsNullOrEmpty(service) ? LambdaLogKeys.UndefinedService : service, level, notices);
    }

    private static LogLevel? Parse(string? value, string variable, List<LogConfigurationNotice> notices, params Dictionary<string, LogLevel>[] vocabularies)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        foreach (var vocabulary in vocabularies)
        {
            if (vocabulary.TryGetValue(value, out var level))
            {
                return level;
            }
        }

        var known = string.Join(", ", vocabularies[0].Keys);
        notices.Add(new("{log_level_variable}={log_level_value} is not one of {known_log_levels}; ignored", variable, value, known));
        return null;
    }
}
