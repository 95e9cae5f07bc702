using System.Buffers.Binary;
using System.Buffers.Text;

namespace SocketRelay.LocalGateway.Queue;

/// <summary>
/// A receipt handle carries the message's row key, so a delete finds the row without an index,
/// plus 128 random bits, so only the latest receive's handle matches the row.
/// </summary>
internal static class ReceiptHandle
{
    private const int RowKeyLength = sizeof(long);
    private const int NonceLength = 16;

    public static string Create(long sequence)
    {
        Span<byte> bytes = stackalloc byte[RowKeyLength + NonceLength];
        BinaryPrimitives.WriteInt64BigEndian(bytes, sequence);
        RandomBytes.Fill(bytes[RowKeyLength..]);
        return Base64Url.EncodeToString(bytes);
    }

    public static bool TryGetSequence(string receiptHandle, out long sequence)
    {
        sequence = 0;
        Span<byte> bytes = stackalloc byte[RowKeyLength + NonceLength];
        if (!Base64Url.IsValid(receiptHandle, out var decodedLength) || decodedLength != bytes.Length)
        {
            return false;
        }

        Base64Url.DecodeFromChars(receiptHandle, bytes);
        sequence = BinaryPrimitives.ReadInt64BigEndian(bytes);
        return true;
    }
}
