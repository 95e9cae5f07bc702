using System.Text;

namespace SocketRelay.Infrastructure.Logging;

/// <summary>
/// The key names of the Powertools for AWS Lambda (.NET) log schema, snake_case as Powertools writes
/// them by default, so CloudWatch Logs Insights queries written for Powertools work unchanged, and
/// <see cref="FromPropertyName"/>, the one rule that turns any other property name into a key.
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

    /// <summary>
    /// The key a property, scope entry or nested member named <paramref name="name"/> is written
    /// under: always matching <c>^[a-z0-9_]+$</c>. A name already in that form is kept as it is
    /// (<c>connection_id</c>); otherwise a word boundary becomes <c>_</c> and letters are lower-cased
    /// (<c>ConnectionId</c> → <c>connection_id</c>, <c>HTTPStatusCode</c> → <c>http_status_code</c>,
    /// <c>XRayTraceId</c> → <c>x_ray_trace_id</c>), and every character outside ASCII letters and digits
    /// becomes <c>_</c>, runs of <c>_</c> written once (<c>retry-after</c> → <c>retry_after</c>).
    /// A name with no ASCII letter or digit becomes <c>_</c>.
    /// </summary>
    public static string FromPropertyName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (IsKey(name))
        {
            return name;
        }

        var key = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsAsciiLetterUpper(c))
            {
                var previous = i > 0 ? name[i - 1] : '\0';
                var next = i + 1 < name.Length ? name[i + 1] : '\0';
                var startsWord = char.IsAsciiLetterLower(previous) || char.IsAsciiDigit(previous)
                    || (char.IsAsciiLetterUpper(previous) && char.IsAsciiLetterLower(next));
                if (startsWord)
                {
                    AppendSeparator(key);
                }

                key.Append(char.ToLowerInvariant(c));
            }
            else if (char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c))
            {
                key.Append(c);
            }
            else
            {
                AppendSeparator(key);
            }
        }

        return key.Length == 0 ? "_" : key.ToString();
    }

    /// <summary>Whether <paramref name="name"/> is written as a key unchanged: one or more of <c>a-z</c>, <c>0-9</c>, <c>_</c>.</summary>
    public static bool IsKey(string name)
    {
        if (name.Length == 0)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_'))
            {
                return false;
            }
        }

        return true;
    }

    private static void AppendSeparator(StringBuilder key)
    {
        if (key.Length == 0 || key[^1] != '_')
        {
            key.Append('_');
        }
    }
}
