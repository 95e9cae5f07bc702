using System.Text.Json.Serialization;

namespace SocketRelay.Infrastructure.LambdaRuntime;

/// <summary>The error document the Runtime API takes on <c>…/invocation/{id}/error</c> and <c>…/init/error</c>.</summary>
public sealed class RuntimeError
{
    [JsonPropertyName("errorMessage")]
    public string ErrorMessage { get; set; } = "";

    [JsonPropertyName("errorType")]
    public string ErrorType { get; set; } = "";

    [JsonPropertyName("stackTrace")]
    public List<string> StackTrace { get; set; } = [];

    public static RuntimeError From(Exception exception, string? errorType = null)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return new RuntimeError
        {
            ErrorMessage = exception.Message,
            ErrorType = errorType ?? exception.GetType().Name,
            StackTrace = exception.StackTrace is { } trace
                ? [.. trace.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)]
                : [],
        };
    }
}
