namespace SocketRelay.Infrastructure.Logging;

/// <summary>
/// The key names of the Powertools for AWS Lambda (.NET) log schema, snake_case as Powertools writes
/// them by default, so CloudWatch Logs Insights queries written for Powertools work unchanged.
/// </summary>
internal static class LambdaLogKeys
{
    public const string Timestamp = "timestamp";
    public const string Level = "level";
    public const string Service = "service";
    public const string Name = "name";
    public const string Message = "message";
    public const string Exception = "exception";

    public const string ColdStart = "cold_start";
    public const string FunctionName = "function_name";
    public const string FunctionVersion = "function_version";
    public const string FunctionMemorySize = "function_memory_size";
    public const string FunctionArn = "function_arn";
    public const string FunctionRequestId = "function_request_id";
    public const string XRayTraceId = "xray_trace_id";

    /// <summary>The value of <c>service</c> when <c>POWERTOOLS_SERVICE_NAME</c> is not set, as in Powertools.</summary>
    public const string UndefinedService = "service_undefined";
}
