using System.Text;
using SocketRelay.Deployment.Tests.Vtl;

namespace SocketRelay.Deployment.Tests.MappingTemplate;

/// <summary>One frame of the corpus: a name for failure messages, the frame text and its gateway context.</summary>
public sealed record CorpusFrame(string Name, string Body, GatewayContext Context)
{
    public GatewayRequest Request => new(Body, Context);

    public override string ToString() => Name;
}

/// <summary>
/// Frames that pass the route's request model but are hostile to a form-encoded SendMessage:
/// form metacharacters, pre-encoded text, every kind of character JSON can carry, VTL syntax,
/// and an attempt to inject each SendMessage parameter. Ids look like API Gateway's (base64, with
/// '+', '/' and '='), so they need encoding too. Bodies avoid what <see cref="CompactJson"/> does
/// not model: numbers JavaScript rewrites, duplicate names and integer-like names.
/// </summary>
public static class AdversarialCorpus
{
    public const string InjectionPrefix = "inject-";

    public static IReadOnlyList<CorpusFrame> Frames { get; } =
    [
        Frame("seed-transcript", """{"MessageGroupId":"test", "data":"hello world"}""", "L0SM9cOFvHcCIhw=", "L0SM9HBUvHcFq+w="),
        Frame("no-group-id-uses-the-connection", """{"data":"hello"}""", "Zk/+8cOFvHcAb1Q=", "a/b+C9HBUvHcFqw="),
        Frame("empty-object", "{}", "L0SM9cOFvHcCIhw=", "Qm9+ZHlJZC8xMg=="),
        Frame("form-metacharacters", """{"data":"a&b=c+d%e f;g"}""", "L0SM9cOFvHcCIhw=", "Rm9ybU1ldGErPQ=="),
        Frame("already-percent-encoded", """{"data":"%2B %26 %3D %25 %zz %"}""", "L0SM9cOFvHcCIhw=", "UGVyY2VudCsv/w=="),
        Frame("group-id-with-form-metacharacters", """{"MessageGroupId":"g&=+%2B/?#;","data":"x"}""", "L0SM9cOFvHcCIhw=", "R3JvdXAmPSsl+/="),
        Frame("group-id-with-quotes-and-backslash", """{"MessageGroupId":"a\"b\\c'd`e","data":"y"}""", "L0SM9cOFvHcCIhw=", "UXVvdGVzXCI+/w="),
        Frame("group-id-of-128-sqs-characters", $$"""{"MessageGroupId":"{{LongGroupId()}}"}""", "L0SM9cOFvHcCIhw=", "TG9uZ0dyb3Vw+/8="),
        Frame("unicode", """{"data":"héllo wörld — ñ 日本語 Ω € \u00e9","name":"Ærøskøbing"}""", "L0SM9cOFvHcCIhw=", "VW5pY29kZSsv/w="),
        Frame("astral-plane", """{"data":"emoji 😀 clef 𝄞","escaped":"\ud83d\ude00 \ud834\udd1e"}""", "L0SM9cOFvHcCIhw=", "QXN0cmFsKy8v/w="),
        Frame("quotes-and-backslashes", """{"data":"she said \"hi\" \\ back\\slash \\\" end","path":"C:\\temp\\"}""", "L0SM9cOFvHcCIhw=", "UXVvdGVzKy8v/w="),
        Frame("newlines-and-control-characters", """{"data":"line1\nline2\r\n\ttab \u0001 \u001f \b \f","raw":"\/slash \u0041 \u2028"}""", "L0SM9cOFvHcCIhw=", "Q29udHJvbCsv/w="),
        Frame("whitespace-between-tokens", "{ \"MessageGroupId\" : \"spaced\" ,\n  \"data\" : [ 1 , 2 ] ,\t\"x\" : { } }\n", "L0SM9cOFvHcCIhw=", "V2hpdGVzcGFjZSs="),
        Frame("nested-values", """{"MessageGroupId":"orders-42","items":[1,-2,0.5,true,false,null,{"k":[]}],"nested":{"a":{"b":"c"}}}""", "L0SM9cOFvHcCIhw=", "TmVzdGVkKy8v/w=="),
        Frame("velocity-syntax-in-values", """{"MessageGroupId":"$context.connectionId","data":"#set($x = 1)$util.urlEncode('a')${x}##"}""", "L0SM9cOFvHcCIhw=", "VmVsb2NpdHkrLw=="),
        Frame(InjectionPrefix + "connection-id-attribute", """{"data":"x&MessageAttribute.1.Value.StringValue=spoof&MessageAttribute.1.Name=connectionId"}""", "L0SM9cOFvHcCIhw=", "U3Bvb2ZBdHRyKy8="),
        Frame(InjectionPrefix + "extra-attribute", """{"data":"&MessageAttribute.3.Name=connectionId&MessageAttribute.3.Value.StringValue=spoof&MessageAttribute.3.Value.DataType=String"}""", "L0SM9cOFvHcCIhw=", "RXh0cmFBdHRyKy8="),
        Frame(InjectionPrefix + "message-group-id", """{"data":"&MessageGroupId=x"}""", "L0SM9cOFvHcCIhw=", "R3JvdXBJZCsvLw=="),
        Frame(InjectionPrefix + "deduplication-id", """{"MessageGroupId":"g","data":"&MessageDeduplicationId=x"}""", "L0SM9cOFvHcCIhw=", "RGVkdXBJZCsvLw=="),
        Frame(InjectionPrefix + "action", """{"data":"&Action=DeleteQueue"}""", "L0SM9cOFvHcCIhw=", "QWN0aW9uKy8vLw=="),
        Frame(InjectionPrefix + "queue-url", """{"data":"&QueueUrl=https://sqs.us-east-1.amazonaws.com/123456789012/other.fifo"}""", "L0SM9cOFvHcCIhw=", "UXVldWVVcmwrLw=="),
        Frame(InjectionPrefix + "message-body", """{"data":"&MessageBody=replaced"}""", "L0SM9cOFvHcCIhw=", "Qm9keUlkKy8vLw=="),
        Frame(InjectionPrefix + "delay-and-version", """{"data":"&DelaySeconds=900&Version=2012-11-05&MessageSystemAttribute.AWSTraceHeader.StringValue=x"}""", "L0SM9cOFvHcCIhw=", "RGVsYXlTZWNzKy8="),
        Frame(InjectionPrefix + "in-a-property-name", """{"&MessageGroupId=x&Action=DeleteQueue":"&MessageAttribute.2.Value.StringValue=spoof"}""", "L0SM9cOFvHcCIhw=", "UHJvcGVydHkrLw=="),
        Frame(InjectionPrefix + "pre-encoded", """{"data":"%26MessageGroupId%3Dx%26MessageAttribute.1.Value.StringValue%3Dspoof"}""", "L0SM9cOFvHcCIhw=", "UHJlRW5jb2RlZCs="),
        Frame("body-of-120-kilobytes", LargeBody(120 * 1024), "L0SM9cOFvHcCIhw=", "TGFyZ2VCb2R5Ky8="),
    ];

    public static IReadOnlyList<GatewayRequest> Requests { get; } = Frames.Select(frame => frame.Request).ToList();

    private static CorpusFrame Frame(string name, string body, string connectionId, string requestId) =>
        new(name, body, new GatewayContext(connectionId, requestId));

    /// <summary>128 characters cycling through every character SQS allows in a MessageGroupId.</summary>
    private static string LongGroupId()
    {
        const string sqsCharacters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
        var text = new StringBuilder();
        while (text.Length < 128)
        {
            text.Append(sqsCharacters[text.Length % sqsCharacters.Length]);
        }

        // Inside a JSON string '"' and '\' need escaping; the decoded value is still 128 characters.
        return text.ToString().Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
    }

    /// <summary>A frame of about <paramref name="utf8Bytes"/> UTF-8 bytes, full of characters that need encoding.</summary>
    private static string LargeBody(int utf8Bytes)
    {
        const string segment = "a&b=c+d%e f é 😀 \\\" \\n &MessageGroupId=x ";
        var text = new StringBuilder("{\"MessageGroupId\":\"large\",\"data\":\"");
        var size = Encoding.UTF8.GetByteCount(text.ToString());
        var segmentSize = Encoding.UTF8.GetByteCount(segment);
        while (size + segmentSize + 2 <= utf8Bytes)
        {
            text.Append(segment);
            size += segmentSize;
        }

        return text.Append("\"}").ToString();
    }
}
