using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace SocketRelay.LocalGateway.Queue;

/// <summary>
/// The deduplication ids of the last five minutes, in memory: for each (message group, deduplication id)
/// pair, by a 64-bit hash of it (XxHash3), the sequence number of the newest message sent with it. The
/// <c>deduplication</c> table stays the truth and is kept in send order (keyed by the message's sequence
/// number): remembering an id appends to the table's last page and forgetting expired ids deletes from its
/// first pages, where a table keyed by the pair wrote a page picked at random on every send. The index
/// only says which row to read: a send whose hash is known reads that one row by primary key and compares
/// the ids themselves.
/// </summary>
/// <remarks>
/// Invariant: every row of the table has its pair's hash here, pointing at that row or at a newer one.
/// Rows are added in sequence order and swept from the oldest, so a hash whose newest row is swept has no
/// row left. Two pairs with one hash (odds ≈ n² / 2⁶⁵) cost the store a scan of the table for the older
/// pair, never a wrong answer. Memory: ≈ 28 bytes per remembered id (≈ 50 MB for five minutes at
/// 6,000 msg/s). Not thread safe: the store serializes every call.
/// </remarks>
/// <param name="hash">The pair's hash; tests pass a colliding one.</param>
internal sealed class DeduplicationIndex(Func<string, string, ulong>? hash = null)
{
    private readonly Dictionary<ulong, long> _newest = [];
    private readonly Func<string, string, ulong> _hash = hash ?? Hash;

    /// <summary>Hashes remembered now (at most one per row of the table).</summary>
    public int Count => _newest.Count;

    /// <summary>Forgets everything, before a rebuild.</summary>
    public void Clear() => _newest.Clear();

    /// <summary>The pair's key in the index: its hash, computed once per send for both <see cref="TryFind"/> and <see cref="Remembered"/>.</summary>
    public ulong KeyOf(string groupId, string deduplicationId) => _hash(groupId, deduplicationId);

    /// <summary>
    /// The sequence number of the newest message sent with this <paramref name="key"/> (<see cref="KeyOf"/>), if one is
    /// remembered; the caller reads that row and checks that its ids are the pair's and that it has not expired.
    /// </summary>
    public bool TryFind(ulong key, out long sequence) => _newest.TryGetValue(key, out sequence);

    /// <summary>A message was sent at <paramref name="sequence"/>, newer than every remembered one (a rebuild calls this in sequence order).</summary>
    public void Remembered(ulong key, long sequence) => _newest[key] = sequence;

    /// <summary>The row at <paramref name="sequence"/> was swept: its hash is forgotten unless a newer message holds it.</summary>
    public void Forgotten(ulong key, long sequence)
    {
        if (_newest.TryGetValue(key, out var newest) && newest == sequence)
        {
            _newest.Remove(key);
        }
    }

    /// <summary>XxHash3 of the deduplication id's UTF-16 code units, seeded with the XxHash3 of the group id's.</summary>
    internal static ulong Hash(string groupId, string deduplicationId)
    {
        var group = XxHash3.HashToUInt64(MemoryMarshal.AsBytes(groupId.AsSpan()));
        return XxHash3.HashToUInt64(MemoryMarshal.AsBytes(deduplicationId.AsSpan()), unchecked((long)group));
    }
}
