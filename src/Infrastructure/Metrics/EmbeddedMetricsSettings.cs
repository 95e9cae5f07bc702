using Microsoft.Extensions.Configuration;
using SocketRelay.Application.Configuration;

namespace SocketRelay.Infrastructure.Metrics;

/// <summary>
/// Where and how the function's metrics are published, read from the variables Powertools for AWS
/// Lambda reads: <c>POWERTOOLS_METRICS_NAMESPACE</c> (default <see cref="DefaultNamespace"/>),
/// <c>POWERTOOLS_SERVICE_NAME</c> (the <c>service</c> dimension; no such dimension when unset, as in
/// Powertools), <c>POWERTOOLS_METRICS_FUNCTION_NAME</c> or else <c>AWS_LAMBDA_FUNCTION_NAME</c> (the
/// <c>function_name</c> dimension of the <c>ColdStart</c> metric) and
/// <c>POWERTOOLS_METRICS_DISABLED</c> (<c>true</c> turns metrics off).
/// </summary>
public sealed class EmbeddedMetricsSettings
{
    public const string NamespaceVariable = "POWERTOOLS_METRICS_NAMESPACE";
    public const string ServiceVariable = "POWERTOOLS_SERVICE_NAME";
    public const string FunctionNameVariable = "POWERTOOLS_METRICS_FUNCTION_NAME";
    public const string LambdaFunctionNameVariable = "AWS_LAMBDA_FUNCTION_NAME";
    public const string DisabledVariable = "POWERTOOLS_METRICS_DISABLED";
    public const string DefaultNamespace = "SocketRelay";

    /// <summary>CloudWatch's limits: a namespace has 1–255 characters, a dimension value 1–1024.</summary>
    private const int MaxNamespaceLength = 255;
    private const int MaxDimensionValueLength = 1024;

    public bool Enabled { get; init; } = true;

    /// <summary>The CloudWatch namespace of every metric.</summary>
    public string Namespace { get; init; } = DefaultNamespace;

    /// <summary>The value of the <c>service</c> dimension; <see langword="null"/> for none.</summary>
    public string? Service { get; init; }

    /// <summary>The value of the <c>function_name</c> dimension of <c>ColdStart</c>; <see langword="null"/> for none.</summary>
    public string? FunctionName { get; init; }

    /// <summary>Reads the settings, adding one problem per invalid variable, by its name, to <paramref name="problems"/>.</summary>
    public static EmbeddedMetricsSettings Read(IConfiguration configuration, List<OptionProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(problems);

        var enabled = true;
        var disabledText = configuration[DisabledVariable];
        if (!string.IsNullOrWhiteSpace(disabledText))
        {
            if (bool.TryParse(disabledText.Trim(), out var disabled))
            {
                enabled = !disabled;
            }
            else
            {
                problems.Add(new(DisabledVariable, $"must be true or false (was '{disabledText}')"));
            }
        }

        var metricsNamespace = configuration[NamespaceVariable]?.Trim();
        if (string.IsNullOrEmpty(metricsNamespace))
        {
            metricsNamespace = DefaultNamespace;
        }
        else if (!IsValidNamespace(metricsNamespace))
        {
            problems.Add(new(NamespaceVariable, $"must be 1–{MaxNamespaceLength} printable ASCII characters, not starting with 'AWS/' or ':' (was '{metricsNamespace}')"));
        }

        return new EmbeddedMetricsSettings
        {
            Enabled = enabled,
            Namespace = metricsNamespace,
            Service = DimensionValue(configuration, problems, ServiceVariable),
            FunctionName = DimensionValue(configuration, problems, FunctionNameVariable) ?? DimensionValue(configuration, problems, LambdaFunctionNameVariable),
        };
    }

    private static string? DimensionValue(IConfiguration configuration, List<OptionProblem> problems, string variable)
    {
        var value = configuration[variable]?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (value.Length > MaxDimensionValueLength || !IsPrintableAscii(value))
        {
            problems.Add(new(variable, $"must be at most {MaxDimensionValueLength} printable ASCII characters to be a CloudWatch dimension value"));
            return null;
        }

        return value;
    }

    private static bool IsValidNamespace(string value) =>
        value.Length <= MaxNamespaceLength && IsPrintableAscii(value) &&
        !value.StartsWith("AWS/", StringComparison.Ordinal) && !value.StartsWith(':');

    private static bool IsPrintableAscii(string value) => value.All(c => c is >= ' ' and <= '~');
}
