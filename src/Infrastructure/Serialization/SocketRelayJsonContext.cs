using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using SocketRelay.Infrastructure.LambdaRuntime;
using SocketRelay.Infrastructure.Sqs;

namespace SocketRelay.Infrastructure.Serialization;

/// <summary>
/// The one System.Text.Json context of SocketRelay: source-generated, so nothing is reflected at
/// run time and the Native AOT function serializes exactly what the tests serialize.
/// </summary>
[JsonSourceGenerationOptions(GenerationMode = JsonSourceGenerationMode.Default)]
[JsonSerializable(typeof(SqsEvent))]
[JsonSerializable(typeof(SqsBatchResponse))]
[JsonSerializable(typeof(ReplyEnvelope))]
[JsonSerializable(typeof(RuntimeError))]
public sealed partial class SocketRelayJsonContext : JsonSerializerContext
{
    /// <summary>
    /// The context every component uses. Its encoder writes <c>"</c> as <c>\"</c> and leaves
    /// <c>&amp; + &lt; &gt; '</c> and non-ASCII text unescaped, as the seed's replies show; the text is
    /// still valid JSON and decodes to the same string.
    /// </summary>
    public static SocketRelayJsonContext Wire { get; } = new(new JsonSerializerOptions
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
