using System.Globalization;
using SocketRelay.LocalGateway.Hosting;

namespace SocketRelay.LocalGateway.Lambda;

/// <summary>
/// The environment Lambda would give the function, pointed at the local gateway: its own
/// <c>@connections</c> API as the endpoint, placeholder credentials (the local API does not check
/// signatures), and the gateway's own <c>SOCKETRELAY_*</c>, <c>POWERTOOLS_*</c> and
/// <c>AWS_LAMBDA_LOG_LEVEL</c> settings passed through. Region, function name, version and memory
/// size come from the gateway's <see cref="LocalIdentity"/>, so they match the ARNs the function sees.
/// </summary>
public static class FunctionEnvironment
{
    public static Dictionary<string, string?> For(Uri connectionsEndpoint, LocalIdentity identity, Func<string, string?> gatewayEnvironment)
    {
        ArgumentNullException.ThrowIfNull(connectionsEndpoint);
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(gatewayEnvironment);
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["WEBSOCKET_API_ENDPOINT"] = connectionsEndpoint.ToString().TrimEnd('/'),
            ["AWS_REGION"] = identity.Region,
            ["AWS_DEFAULT_REGION"] = identity.Region,
            ["AWS_ACCESS_KEY_ID"] = "LOCALGATEWAY",
            ["AWS_SECRET_ACCESS_KEY"] = "local-gateway-does-not-check-signatures",
            ["AWS_LAMBDA_FUNCTION_NAME"] = identity.FunctionName,
            ["AWS_LAMBDA_FUNCTION_VERSION"] = LocalIdentity.FunctionVersion,
            ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = identity.FunctionMemoryMb.ToString(CultureInfo.InvariantCulture),
            ["POWERTOOLS_SERVICE_NAME"] = gatewayEnvironment("POWERTOOLS_SERVICE_NAME") ?? identity.FunctionName,
        };
        foreach (var name in PassedThrough)
        {
            if (gatewayEnvironment(name) is { } value)
            {
                environment[name] = value;
            }
        }

        return environment;
    }

    private static readonly string[] PassedThrough =
    [
        "POWERTOOLS_LOG_LEVEL", "AWS_LAMBDA_LOG_LEVEL",
        "SOCKETRELAY_MAX_CONCURRENT_GROUPS", "SOCKETRELAY_DEADLINE_MARGIN_MS",
        "SOCKETRELAY_RETRY_MAX_ATTEMPTS", "SOCKETRELAY_RETRY_BASE_DELAY_MS",
        "SOCKETRELAY_RETRY_MAX_DELAY_MS", "SOCKETRELAY_RETRY_ATTEMPT_TIMEOUT_MS",
    ];
}
