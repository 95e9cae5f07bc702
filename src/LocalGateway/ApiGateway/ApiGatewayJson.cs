using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SocketRelay.LocalGateway.ApiGateway;

/// <summary>The error frame API Gateway sends on the socket, e.g. when route request validation fails.</summary>
internal sealed record ErrorFrame(string Message, string ConnectionId, string RequestId)
{
    public const string InvalidRequestBody = "Invalid request body";
    public const string InternalServerError = "Internal server error";
}

/// <summary>The body of an <c>@connections</c> error response (GoneException, PayloadTooLargeException, ...).</summary>
internal sealed record ManagementError(string Message);

/// <summary>The <c>GET @connections/{id}</c> answer, shaped as API Gateway's <c>GetConnection</c>.</summary>
internal sealed record ConnectionInfo(string ConnectedAt, ConnectionInfoIdentity Identity, string LastActiveAt)
{
    public static ConnectionInfo From(ConnectionSnapshot snapshot) => new(
        Iso8601(snapshot.ConnectedAt),
        new ConnectionInfoIdentity(snapshot.SourceIp, snapshot.UserAgent),
        Iso8601(snapshot.LastActiveAt));

    private static string Iso8601(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}

internal sealed record ConnectionInfoIdentity(string SourceIp, string UserAgent);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ErrorFrame))]
[JsonSerializable(typeof(ManagementError))]
[JsonSerializable(typeof(ConnectionInfo))]
internal sealed partial class ApiGatewayJsonContext : JsonSerializerContext
{
    /// <summary>
    /// Ids are base64 and user agents free text; the relaxed encoder keeps <c>+</c> and non-ASCII
    /// readable instead of writing <c>\u002B</c>. The documents never end up inside HTML.
    /// </summary>
    public static ApiGatewayJsonContext Readable { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    public static byte[] Serialize(ErrorFrame frame) => JsonSerializer.SerializeToUtf8Bytes(frame, Readable.ErrorFrame);
}
