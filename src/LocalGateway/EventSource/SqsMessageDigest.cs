using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using SocketRelay.Infrastructure.Sqs;

namespace SocketRelay.LocalGateway.EventSource;

/// <summary>
/// The MD5 digests SQS reports for a message (<c>MD5OfBody</c>, <c>MD5OfMessageAttributes</c>) and Lambda
/// passes on as each record's <c>md5OfBody</c> and <c>md5OfMessageAttributes</c>: lower-case hex, 32 characters.
/// They are checksums for transport integrity, not security.
/// </summary>
/// <remarks>
/// The attribute digest is SQS's documented encoding (Amazon SQS Developer Guide, "Calculating the MD5
/// message digest for message attributes"): attributes sorted by name; for each, the name, the data type,
/// one transport byte (1 for <c>String</c> and <c>Number</c> types, 2 for <c>Binary</c>), then the value,
/// every string and value preceded by its length as a 4-byte big-endian integer; strings as UTF-8, binary
/// values as their raw bytes. The list values SQS reserves (<c>stringListValues</c>, <c>binaryListValues</c>)
/// are not part of it.
/// </remarks>
public static class SqsMessageDigest
{
    private const byte StringTransport = 1;
    private const byte BinaryTransport = 2;

    /// <summary>MD5 of the body's UTF-8 bytes, lower-case hex.</summary>
    public static string OfBody(string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return Md5Hex(Encoding.UTF8.GetBytes(body));
    }

    /// <summary>The digest of the message attributes, or null when there are none (SQS then reports no digest).</summary>
    /// <param name="attributes">Name → value; a value's <c>dataType</c> is <c>String</c>, <c>Number</c> or <c>Binary</c>,
    /// optionally with a custom label (<c>Number.float</c>); binary values are base64, as in the event.</param>
    /// <exception cref="ArgumentException">A data type is none of those, or its value is missing or not base64.</exception>
    public static string? OfMessageAttributes(IEnumerable<KeyValuePair<string, SqsMessageAttributeValue>> attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        var sorted = attributes.OrderBy(a => a.Key, StringComparer.Ordinal).ToList();
        if (sorted.Count == 0)
        {
            return null;
        }

        using var encoded = new MemoryStream();
        foreach (var (name, value) in sorted)
        {
            var dataType = value.DataType ?? "";
            WriteWithLength(encoded, Encoding.UTF8.GetBytes(name));
            WriteWithLength(encoded, Encoding.UTF8.GetBytes(dataType));
            if (IsOfType(dataType, "String") || IsOfType(dataType, "Number"))
            {
                encoded.WriteByte(StringTransport);
                WriteWithLength(encoded, Encoding.UTF8.GetBytes(value.StringValue
                    ?? throw new ArgumentException($"message attribute '{name}' of type {dataType} has no stringValue", nameof(attributes))));
            }
            else if (IsOfType(dataType, "Binary"))
            {
                encoded.WriteByte(BinaryTransport);
                WriteWithLength(encoded, DecodeBinary(name, value.BinaryValue));
            }
            else
            {
                throw new ArgumentException($"message attribute '{name}' has data type '{dataType}'; SQS knows String, Number and Binary (with an optional .label)", nameof(attributes));
            }
        }

        return Md5Hex(encoded.ToArray());
    }

    /// <summary>The digest of string attributes, the kind the WebSocket API puts on every message.</summary>
    public static string? OfStringAttributes(IReadOnlyDictionary<string, string> attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        return OfMessageAttributes(attributes.Select(a => KeyValuePair.Create(a.Key, new SqsMessageAttributeValue { StringValue = a.Value, DataType = "String" })));
    }

    private static bool IsOfType(string dataType, string type) =>
        dataType == type || (dataType.Length > type.Length + 1 && dataType.StartsWith(type + ".", StringComparison.Ordinal));

    private static byte[] DecodeBinary(string name, string? base64)
    {
        try
        {
            return Convert.FromBase64String(base64 ?? throw new FormatException("missing"));
        }
        catch (FormatException)
        {
            throw new ArgumentException($"message attribute '{name}' of type Binary has no base64 binaryValue", nameof(base64));
        }
    }

    private static void WriteWithLength(Stream stream, byte[] bytes)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
        stream.Write(length);
        stream.Write(bytes);
    }

#pragma warning disable CA5351 // MD5 is what SQS reports: a transport checksum, not security.
    private static string Md5Hex(byte[] bytes) => Convert.ToHexStringLower(MD5.HashData(bytes));
#pragma warning restore CA5351
}
