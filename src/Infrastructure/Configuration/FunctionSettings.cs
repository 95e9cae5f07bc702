using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using SocketRelay.Application.Batches;
using SocketRelay.Application.Configuration;
using SocketRelay.Infrastructure.Metrics;
using SocketRelay.Infrastructure.Resilience;

namespace SocketRelay.Infrastructure.Configuration;

/// <summary>
/// Everything the function reads from its environment, read and checked in one place. Every
/// problem is reported at once, by variable name, so a misconfigured deployment fails its first
/// start with one clear <c>init/error</c>.
/// </summary>
public sealed partial class FunctionSettings
{
    public const string EndpointVariable = "WEBSOCKET_API_ENDPOINT";
    public const string RegionVariable = "AWS_REGION";
    public const string MaxConcurrentGroupsVariable = "SOCKETRELAY_MAX_CONCURRENT_GROUPS";
    public const string DeadlineMarginVariable = "SOCKETRELAY_DEADLINE_MARGIN_MS";
    public const string RetryMaxAttemptsVariable = "SOCKETRELAY_RETRY_MAX_ATTEMPTS";
    public const string RetryBaseDelayVariable = "SOCKETRELAY_RETRY_BASE_DELAY_MS";
    public const string RetryMaxDelayVariable = "SOCKETRELAY_RETRY_MAX_DELAY_MS";
    public const string RetryAttemptTimeoutVariable = "SOCKETRELAY_RETRY_ATTEMPT_TIMEOUT_MS";

    /// <summary>The function's own prefix: a variable that starts with it and is none of its settings is a typing slip.</summary>
    public const string SettingsPrefix = "SOCKETRELAY_";

    /// <summary>Every <see cref="SettingsPrefix"/> variable the function reads.</summary>
    public static IReadOnlyList<string> SettingVariables { get; } =
    [
        MaxConcurrentGroupsVariable, DeadlineMarginVariable, RetryMaxAttemptsVariable,
        RetryBaseDelayVariable, RetryMaxDelayVariable, RetryAttemptTimeoutVariable,
    ];

    private FunctionSettings(Uri endpoint, string region, BatchProcessingOptions batch, NotificationRetryOptions retry, EmbeddedMetricsSettings metrics)
    {
        Endpoint = endpoint;
        Region = region;
        Batch = batch;
        Retry = retry;
        Metrics = metrics;
    }

    /// <summary>The WebSocket API's management endpoint, stage included.</summary>
    public Uri Endpoint { get; }

    public string Region { get; }

    public BatchProcessingOptions Batch { get; }

    public NotificationRetryOptions Retry { get; }

    /// <summary>The <c>POWERTOOLS_METRICS_*</c> settings of the Embedded Metric Format lines.</summary>
    public EmbeddedMetricsSettings Metrics { get; }

    /// <exception cref="InvalidOptionsException">One or more settings are missing or invalid; it lists them all, by variable name.</exception>
    public static FunctionSettings Load(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var problems = new List<OptionProblem>();

        var endpointText = configuration[EndpointVariable];
        Uri? endpoint = null;
        if (string.IsNullOrWhiteSpace(endpointText))
        {
            problems.Add(new(EndpointVariable, "is required, e.g. https://{api-id}.execute-api.{region}.amazonaws.com/{stage}"));
        }
        else if (!Uri.TryCreate(endpointText, UriKind.Absolute, out endpoint) || endpoint.Scheme is not ("http" or "https"))
        {
            problems.Add(new(EndpointVariable, $"must be an absolute http(s) URL (was '{endpointText}')"));
        }

        var region = configuration[RegionVariable] ?? configuration["AWS_DEFAULT_REGION"] ?? RegionOf(endpoint);
        if (string.IsNullOrWhiteSpace(region))
        {
            problems.Add(new(RegionVariable, "is required to sign @connections requests"));
        }

        var batch = new BatchProcessingOptions();
        batch.MaxConcurrentGroups = Integer(configuration, MaxConcurrentGroupsVariable, batch.MaxConcurrentGroups, 1, problems);
        batch.DeadlineSafetyMargin = Milliseconds(configuration, DeadlineMarginVariable, batch.DeadlineSafetyMargin, problems);

        var retry = new NotificationRetryOptions();
        retry.MaxRetryAttempts = Integer(configuration, RetryMaxAttemptsVariable, retry.MaxRetryAttempts, 0, problems);
        retry.BaseDelay = Milliseconds(configuration, RetryBaseDelayVariable, retry.BaseDelay, problems, minimum: 1);
        retry.MaxDelay = Milliseconds(configuration, RetryMaxDelayVariable, retry.MaxDelay, problems, minimum: 1);
        retry.AttemptTimeout = Milliseconds(configuration, RetryAttemptTimeoutVariable, retry.AttemptTimeout, problems, minimum: 1);
        if (retry.MaxDelay < retry.BaseDelay)
        {
            problems.Add(new(
                RetryMaxDelayVariable,
                $"must be at least {RetryBaseDelayVariable} (was {retry.MaxDelay.TotalMilliseconds:0} ms against {retry.BaseDelay.TotalMilliseconds:0} ms)"));
        }

        var metrics = EmbeddedMetricsSettings.Read(configuration, problems);
        foreach (var unknown in configuration.GetChildren().Select(c => c.Key).Where(IsUnknownSetting).Order(StringComparer.Ordinal))
        {
            // A mistyped setting would otherwise leave its default in force without a word.
            problems.Add(new(unknown, OptionNames.Closest(unknown, SettingVariables) is { } meant
                ? $"is not a setting of this function (did you mean {meant}?)"
                : $"is not a setting of this function: its {SettingsPrefix}* settings are {string.Join(", ", SettingVariables)}"));
        }

        InvalidOptionsException.ThrowIfAny(nameof(FunctionSettings), problems);

        return new FunctionSettings(endpoint!, region!, batch, retry, metrics);
    }

    /// <summary>Whether <paramref name="name"/> has the function's prefix but is none of its settings.</summary>
    public static bool IsUnknownSetting(string name) =>
        name.StartsWith(SettingsPrefix, StringComparison.OrdinalIgnoreCase) && !SettingVariables.Contains(name, StringComparer.OrdinalIgnoreCase);

    private static string? RegionOf(Uri? endpoint) =>
        endpoint is null ? null : ExecuteApiHost().Match(endpoint.Host) is { Success: true } match ? match.Groups["region"].Value : null;

    private static int Integer(IConfiguration configuration, string name, int fallback, int minimum, List<OptionProblem> problems)
    {
        var text = configuration[name];
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= minimum)
        {
            return value;
        }

        problems.Add(new(name, $"must be a whole number of at least {minimum} (was '{text}')"));
        return fallback;
    }

    private static TimeSpan Milliseconds(IConfiguration configuration, string name, TimeSpan fallback, List<OptionProblem> problems, int minimum = 0) =>
        TimeSpan.FromMilliseconds(Integer(configuration, name, (int)fallback.TotalMilliseconds, minimum, problems));

    [GeneratedRegex(@"^[a-z0-9]+\.execute-api\.(?<region>[a-z0-9-]+)\.amazonaws\.com$", RegexOptions.CultureInvariant)]
    private static partial Regex ExecuteApiHost();
}
