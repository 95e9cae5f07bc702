using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SocketRelay.Infrastructure.Sqs;
using SocketRelay.LocalGateway.ApiGateway;
using SocketRelay.LocalGateway.Queue;

namespace SocketRelay.LocalGateway.DevConsole;

/// <summary>
/// The developer console: its page at <c>/_local/</c> (plain HTML, JavaScript and CSS embedded in
/// this assembly) and the JSON endpoints under <c>/_local/api/</c> it is built on. Shapes are
/// documented in the LocalGateway README. Every route answers as <see cref="LocalRequestGuard"/> allows.
/// </summary>
public static class ConsoleEndpoints
{
    private const int DefaultLimit = 100;
    private const int MaxDeadLetters = 1000;
    private const int MaxConnections = 1000;

    private static readonly Dictionary<string, (string Resource, string ContentType)> Assets = new(StringComparer.Ordinal)
    {
        ["/_local/"] = ("console.html", "text/html; charset=utf-8"),
        ["/_local/console.js"] = ("console.js", "text/javascript; charset=utf-8"),
        ["/_local/console.css"] = ("console.css", "text/css; charset=utf-8"),
    };

    public static IEndpointRouteBuilder MapDeveloperConsole(
        this IEndpointRouteBuilder endpoints, PipelineRecorder recorder, IFifoQueue queue, ConnectionRegistry connections)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        foreach (var (path, (resource, contentType)) in Assets)
        {
            var content = ReadAsset(resource);
            Map(endpoints, "GET", path, write: false, http =>
            {
                http.Response.Headers.CacheControl = "no-store";
                http.Response.Headers["X-Frame-Options"] = "DENY";
                http.Response.Headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'";
                return Task.FromResult(Results.Bytes(content, contentType));
            });
        }

        Map(endpoints, "GET", "/_local/api/pipeline", write: false, async http =>
        {
            var stats = await queue.GetStatsAsync(http.RequestAborted);
            return Json(json => recorder.WritePipeline(json, stats, connections.Count));
        });
        Map(endpoints, "GET", "/_local/api/messages", write: false, http =>
        {
            var messageId = http.Request.Query["messageId"].ToString();
            return Task.FromResult(ReadLimit(http, recorder.MessageCapacity, out var limit)
                ?? Json(json => recorder.WriteMessages(json, limit, messageId.Length > 0 ? messageId : null)));
        });
        Map(endpoints, "GET", "/_local/api/connections", write: false, http =>
            Task.FromResult(ReadLimit(http, MaxConnections, out var limit)
                ?? Json(json => recorder.WriteConnections(json, [.. connections.Connections.Select(c => c.ToSnapshot())], limit))));
        Map(endpoints, "GET", "/_local/api/invocations", write: false, http =>
            Task.FromResult(ReadLimit(http, recorder.InvocationCapacity, out var limit) ?? Json(json => recorder.WriteInvocations(json, limit))));
        Map(endpoints, "GET", "/_local/api/dead-letters", write: false, async http =>
        {
            if (ReadLimit(http, MaxDeadLetters, out var limit) is { } badLimit)
            {
                return badLimit;
            }

            var stats = await queue.GetStatsAsync(http.RequestAborted);
            var deadLetters = await queue.ListDeadLettersAsync(limit, http.RequestAborted);
            return Json(json => WriteDeadLetters(json, deadLetters, stats.DeadLetterQueueDepth));
        });
        Map(endpoints, "POST", "/_local/api/dead-letters/redrive", write: true, async http =>
        {
            // No messageId at all redrives every dead letter; one that is given must name one (an empty value is
            // what a script with an unset variable sends, and must not mean "all").
            // A misspelt parameter must not mean "all" either: messageId is the only one.
            if (http.Request.Query.Keys.FirstOrDefault(key => key != "messageId") is { } unknown)
            {
                return Error(StatusCodes.Status400BadRequest, $"unknown parameter '{unknown}': give messageId=ID to redrive one dead letter, or no parameter to redrive them all");
            }

            var ids = http.Request.Query["messageId"];
            if (ids.Count > 1 || (ids.Count == 1 && string.IsNullOrEmpty(ids[0])))
            {
                return Error(StatusCodes.Status400BadRequest, $"messageId must be one message id, or left out to redrive every dead letter; not '{ids}'");
            }

            var messageId = ids.ToString();
            var moved = await queue.RedriveDeadLettersAsync(messageId.Length > 0 ? messageId : null, http.RequestAborted);
            if (messageId.Length > 0 && moved.Count == 0)
            {
                return Error(StatusCodes.Status404NotFound, $"no dead letter has the message id {messageId}");
            }

            recorder.OperatorAction(moved, JourneySteps.Redriven);
            return Json(json =>
            {
                json.WriteStartObject();
                json.WriteStartArray("redriven");
                foreach (var id in moved)
                {
                    json.WriteStringValue(id);
                }

                json.WriteEndArray();
                json.WriteEndObject();
            });
        });
        Map(endpoints, "DELETE", "/_local/api/dead-letters/{messageId}", write: true, async http =>
        {
            var messageId = http.Request.RouteValues["messageId"] as string ?? "";
            if (!await queue.DeleteDeadLetterAsync(messageId, http.RequestAborted))
            {
                return Error(StatusCodes.Status404NotFound, $"no dead letter has the message id {messageId}");
            }

            recorder.OperatorAction([messageId], JourneySteps.Deleted);
            return Results.NoContent();
        });

        // Anything else under the API: an answer in the API's error shape, not an empty 404.
        endpoints.Map("/_local/api/{**rest}", (Delegate)((HttpContext http) => Guarded(http, write: false, () => Task.FromResult(Error(
            StatusCodes.Status404NotFound,
            $"no console API answers {http.Request.Method} {http.Request.Path}: see GET /_local/api/pipeline, messages, connections, invocations and dead-letters")))));
        return endpoints;
    }

    private static void Map(IEndpointRouteBuilder endpoints, string method, string pattern, bool write, Func<HttpContext, Task<IResult>> handler) =>
        endpoints.MapMethods(pattern, [method], (Delegate)((HttpContext http) => Guarded(http, write, () => handler(http))));

    private static async Task<IResult> Guarded(HttpContext http, bool write, Func<Task<IResult>> handler)
    {
        http.Response.Headers.XContentTypeOptions = "nosniff";
        if ((write ? LocalRequestGuard.RefuseWrite(http) : LocalRequestGuard.RefuseRead(http)) is { } refused)
        {
            return Error(StatusCodes.Status403Forbidden, refused);
        }

        try
        {
            return await handler();
        }
        catch (NotSupportedException ex)
        {
            return Error(StatusCodes.Status501NotImplemented, ex.Message);
        }
    }

    /// <summary>
    /// The list length asked for with <c>?limit=N</c>: absent means <see cref="DefaultLimit"/>, more than
    /// <paramref name="max"/> is capped to it, and anything but a positive whole number is refused with
    /// 400 (the returned error) rather than read as the default.
    /// </summary>
    private static IResult? ReadLimit(HttpContext http, int max, out int limit)
    {
        var text = http.Request.Query["limit"];
        if (text.Count == 0)
        {
            limit = Math.Min(DefaultLimit, max);
            return null;
        }

        // Any positive whole number, however large (past ulong too), lists at most max.
        if (text.Count == 1 && text[0] is { Length: > 0 } digits && digits.All(char.IsAsciiDigit) && digits.TrimStart('0') is { Length: > 0 } number)
        {
            limit = number.Length > 9 ? max : Math.Min(int.Parse(number, NumberStyles.None, CultureInfo.InvariantCulture), max);
            return null;
        }

        limit = 0;
        return Error(StatusCodes.Status400BadRequest, $"limit must be one positive whole number (a larger one than {max} lists {max}), not '{text}'");
    }

    private static void WriteDeadLetters(Utf8JsonWriter json, IReadOnlyList<DeadLetter> deadLetters, long total)
    {
        json.WriteStartObject();
        json.WriteNumber("total", total);
        json.WriteStartArray("deadLetters");
        foreach (var deadLetter in deadLetters)
        {
            json.WriteStartObject();
            json.WriteString("messageId", deadLetter.MessageId);
            json.WriteString("messageGroupId", deadLetter.MessageGroupId);
            json.WriteString("connectionId", deadLetter.MessageAttributes.GetValueOrDefault(SqsRecordMapper.ConnectionIdAttribute));
            json.WriteString("requestId", deadLetter.MessageAttributes.GetValueOrDefault(SqsRecordMapper.RequestIdAttribute));
            json.WriteString("body", deadLetter.Body);
            json.WriteNumber("receiveCount", deadLetter.ReceiveCount);
            json.WriteNumber("sentTimestamp", deadLetter.SentTimestamp);
            json.WriteNumber("deadLetteredTimestamp", deadLetter.DeadLetteredTimestamp);
            json.WriteString("reason", deadLetter.Reason);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    // Strings as written (a body's quotes as \", not \u0022), so that the answers read well with curl: they are
    // application/json with nosniff, read by the console's script as data, never placed into HTML as markup.
    private static readonly JsonWriterOptions Readable = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static IResult Json(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Readable))
        {
            write(json);
        }

        return Results.Bytes(buffer.ToArray(), "application/json");
    }

    /// <summary>An error answer as the docs give it: <c>{"error":"…"}</c>, <c>application/json</c>, with <paramref name="statusCode"/>.</summary>
    internal static IResult Error(int statusCode, string message)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Readable))
        {
            json.WriteStartObject();
            json.WriteString("error", message);
            json.WriteEndObject();
        }

        return Results.Content(System.Text.Encoding.UTF8.GetString(buffer.ToArray()), "application/json", statusCode: statusCode);
    }

    private static byte[] ReadAsset(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("SocketRelay.LocalGateway.DevConsole." + name)
            ?? throw new InvalidOperationException($"the console asset {name} is missing from the assembly");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

}
