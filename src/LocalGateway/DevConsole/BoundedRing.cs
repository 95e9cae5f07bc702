namespace SocketRelay.LocalGateway.DevConsole;

/// <summary>
/// The last <see cref="Capacity"/> items added, oldest overwritten first: the console's history
/// never grows with traffic. Not thread safe; <see cref="PipelineRecorder"/> guards it.
/// </summary>
internal sealed class BoundedRing<T>(int capacity)
    where T : class
{
    private readonly T?[] _items = new T?[capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity))];
    private int _next;

    public int Capacity => _items.Length;

    public int Count { get; private set; }

    /// <summary>Adds <paramref name="item"/>; returns the item it overwrote, or null while the ring is not full.</summary>
    public T? Add(T item)
    {
        var evicted = _items[_next];
        _items[_next] = item;
        _next = (_next + 1) % _items.Length;
        Count = Math.Min(Count + 1, _items.Length);
        return evicted;
    }

    /// <summary>Up to <paramref name="limit"/> items, newest first.</summary>
    public IEnumerable<T> NewestFirst(int limit)
    {
        for (var i = 1; i <= Math.Min(limit, Count); i++)
        {
            yield return _items[(_next - i + _items.Length) % _items.Length]!;
        }
    }
}
