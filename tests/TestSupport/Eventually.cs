namespace SocketRelay.TestSupport;

/// <summary>
/// Polls a condition that becomes true by itself (a reply arrives, a counter catches up) and fails
/// with a <see cref="TimeoutException"/> naming what was awaited if it does not within the time given.
/// </summary>
public static class Eventually
{
    /// <summary>How often a condition is polled.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);

    /// <summary>Five seconds: what a test waits unless it says otherwise.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Polls until <paramref name="probe"/> yields a value, and returns it.</summary>
    /// <exception cref="TimeoutException">No value within <paramref name="within"/> (default <see cref="DefaultTimeout"/>).</exception>
    public static async Task<T> ValueAsync<T>(Func<T?> probe, TimeSpan? within = null, string what = "the expected state")
    {
        ArgumentNullException.ThrowIfNull(probe);
        var timeout = within ?? DefaultTimeout;
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (probe() is { } value)
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{what} was not reached within {timeout.TotalSeconds:0.#} s.");
            }

            await Task.Delay(PollInterval);
        }
    }

    /// <summary>Polls until <paramref name="condition"/> holds.</summary>
    /// <exception cref="TimeoutException">It does not within <paramref name="within"/> (default <see cref="DefaultTimeout"/>).</exception>
    public static Task TrueAsync(Func<bool> condition, TimeSpan? within = null, string what = "the expected state")
    {
        ArgumentNullException.ThrowIfNull(condition);
        return ValueAsync(() => condition() ? "yes" : null, within, what);
    }

    /// <summary>
    /// Reads a value until <paramref name="condition"/> holds for it, and returns that value; the
    /// failure names the last value read.
    /// </summary>
    /// <exception cref="TimeoutException">No value read within <paramref name="within"/> satisfied the condition.</exception>
    public static async Task<T> ReadUntilAsync<T>(Func<Task<T>> read, Func<T, bool> condition, TimeSpan within, string what = "the expected state")
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            var value = await read();
            if (condition(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{what} was not reached within {within.TotalSeconds:0.#} s; last read: {value}");
            }

            await Task.Delay(PollInterval);
        }
    }
}
