namespace SocketRelay.LocalGateway.ApiGateway;

/// <summary>What the fault injector decided for one <c>@connections</c> <c>POST</c>.</summary>
internal readonly record struct InjectedFault(int? StatusCode, TimeSpan Latency);

/// <summary>Rolls the dice of <see cref="ConnectionsFaultOptions"/> for each <c>POST</c>; thread-safe and reproducible with a seed.</summary>
internal sealed class ConnectionsFaultInjector(ConnectionsFaultOptions options)
{
    private readonly Random _random = options.Seed is { } seed ? new Random(seed) : new Random();
    private readonly Lock _gate = new();

    public InjectedFault Next()
    {
        if (!options.Enabled)
        {
            return default;
        }

        lock (_gate)
        {
            int? status = _random.NextDouble() < options.Rate ? options.StatusCodes[_random.Next(options.StatusCodes.Count)] : null;
            var latency = options.LatencyMs > 0 ? TimeSpan.FromMilliseconds(_random.Next(options.LatencyMs + 1)) : TimeSpan.Zero;
            return new InjectedFault(status, latency);
        }
    }
}
