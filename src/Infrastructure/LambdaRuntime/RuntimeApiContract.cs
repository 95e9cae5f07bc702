namespace SocketRelay.Infrastructure.LambdaRuntime;

/// <summary>
/// The Lambda Runtime API, version <c>2018-06-01</c>, as one contract shared by the client
/// (<see cref="RuntimeApiClient"/>) and the local gateway's server: the paths and header names of
/// https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html. Paths are absolute (from the root
/// of <c>http://{AWS_LAMBDA_RUNTIME_API}</c>).
/// </summary>
public static class RuntimeApiContract
{
    /// <summary>The API version every path starts with.</summary>
    public const string Version = "2018-06-01";

    /// <summary><c>GET</c>: blocks until there is an event; the body is the event, the headers below describe it.</summary>
    public const string NextInvocationPath = "/" + Version + "/runtime/invocation/next";

    /// <summary>The route template of <see cref="InvocationResponsePath"/>, with <c>{id}</c> for the request id.</summary>
    public const string InvocationResponseRoute = "/" + Version + "/runtime/invocation/{id}/response";

    /// <summary>The route template of <see cref="InvocationErrorPath"/>, with <c>{id}</c> for the request id.</summary>
    public const string InvocationErrorRoute = "/" + Version + "/runtime/invocation/{id}/error";

    /// <summary><c>POST</c> a <see cref="RuntimeError"/> document: the function could not start.</summary>
    public const string InitErrorPath = "/" + Version + "/runtime/init/error";

    /// <summary>Header of <c>invocation/next</c>: the request id to answer on.</summary>
    public const string RequestIdHeader = "Lambda-Runtime-Aws-Request-Id";

    /// <summary>Header of <c>invocation/next</c>: the invocation deadline, Unix epoch milliseconds.</summary>
    public const string DeadlineHeader = "Lambda-Runtime-Deadline-Ms";

    /// <summary>Header of <c>invocation/next</c>: the ARN the function was invoked by.</summary>
    public const string FunctionArnHeader = "Lambda-Runtime-Invoked-Function-Arn";

    /// <summary>Header of <c>invocation/next</c>: the X-Ray trace header (<c>Root=…;Parent=…;Sampled=…</c>).</summary>
    public const string TraceIdHeader = "Lambda-Runtime-Trace-Id";

    /// <summary>Header of an error <c>POST</c>: the error type, e.g. <c>Runtime.Unhandled</c>.</summary>
    public const string ErrorTypeHeader = "Lambda-Runtime-Function-Error-Type";

    /// <summary><c>POST</c> the function's response to request <paramref name="requestId"/> (escaped here).</summary>
    public static string InvocationResponsePath(string requestId) =>
        InvocationResponseRoute.Replace("{id}", Uri.EscapeDataString(requestId), StringComparison.Ordinal);

    /// <summary><c>POST</c> a <see cref="RuntimeError"/> for request <paramref name="requestId"/> (escaped here).</summary>
    public static string InvocationErrorPath(string requestId) =>
        InvocationErrorRoute.Replace("{id}", Uri.EscapeDataString(requestId), StringComparison.Ordinal);
}
