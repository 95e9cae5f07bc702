namespace SocketRelay.LocalGateway.Tests.ApiGateway;

internal static class Eventually
{
    /// <summary>Polls until <paramref name="probe"/> yields a value; fails after five seconds.</summary>
    public static async Task<T> ValueAsync<T>(Func<T?> probe)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (true)
        {
            if (probe() is { } value)
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The expected state was not reached within five seconds.");
            }

            await Task.Delay(10);
        }
    }

    public static Task TrueAsync(Func<bool> condition) => ValueAsync(() => condition() ? "yes" : null);
}
