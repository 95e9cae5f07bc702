using System.Security.Cryptography;

namespace SocketRelay.LocalGateway;

/// <summary>
/// Cryptographically secure random bytes for the gateway's ids (message ids, receipt handles, connection
/// and request ids), handed out from a per-thread buffer that <see cref="RandomNumberGenerator"/> refills
/// 4 KB at a time. On Linux each <see cref="RandomNumberGenerator.Fill"/> or <see cref="Guid.NewGuid"/> is
/// a system call (a <c>read</c> of <c>/dev/urandom</c>), several per message on the queue's one writer
/// thread; from the buffer it is one call per 4 KB. The bytes are the same CSPRNG output, each handed out
/// once and wiped from the buffer as it is.
/// </summary>
internal static class RandomBytes
{
    private const int BufferSize = 4096;

    [ThreadStatic]
    private static byte[]? _buffer;

    [ThreadStatic]
    private static int _next;

    /// <summary>Fills <paramref name="destination"/> with random bytes (larger than 4 KB: straight from <see cref="RandomNumberGenerator"/>).</summary>
    public static void Fill(Span<byte> destination)
    {
        if (destination.Length > BufferSize)
        {
            RandomNumberGenerator.Fill(destination);
            return;
        }

        var buffer = _buffer;
        if (buffer is null || _next + destination.Length > BufferSize)
        {
            buffer = _buffer ??= new byte[BufferSize];
            RandomNumberGenerator.Fill(buffer);
            _next = 0;
        }

        var taken = buffer.AsSpan(_next, destination.Length);
        taken.CopyTo(destination);
        taken.Clear();
        _next += destination.Length;
    }

    /// <summary>A random (version 4, RFC 9562 variant) UUID, as <see cref="Guid.NewGuid"/> makes.</summary>
    public static Guid NewGuid()
    {
        Span<byte> bytes = stackalloc byte[16];
        Fill(bytes);
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }
}
