using System.Net.Http.Json;
using System.Text.Json;

namespace SocketRelay.LocalGateway.Tests.Reliability;

/// <summary>The counters of <c>/_local/status</c>, as an operator reads them.</summary>
internal sealed record GatewayCounters(long Connections, long Accepted, long Completed, long QueueDepth, long InFlight, long DlqDepth)
{
    /// <summary>Nothing waits or is in flight, and every accepted message is completed or dead-lettered.</summary>
    public bool IsDrainedAndBalanced => QueueDepth == 0 && InFlight == 0 && Accepted == Completed + DlqDepth;

    public static GatewayCounters From(JsonElement status) => new(
        status.GetProperty("connections").GetInt64(),
        status.GetProperty("accepted").GetInt64(),
        status.GetProperty("completed").GetInt64(),
        status.GetProperty("queueDepth").GetInt64(),
        status.GetProperty("inFlight").GetInt64(),
        status.GetProperty("dlqDepth").GetInt64());
}

/// <summary>Reads <c>/_local/status</c> of a gateway and waits for the queue to drain.</summary>
internal sealed class GatewayStatusProbe(Uri httpUrl) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = httpUrl, Timeout = TimeSpan.FromSeconds(5) };

    public async Task<GatewayCounters> ReadAsync() =>
        GatewayCounters.From(await _http.GetFromJsonAsync<JsonElement>("/_local/status"));

    /// <summary>Polls until <paramref name="condition"/> holds; fails with the last counters after <paramref name="timeout"/>.</summary>
    public async Task<GatewayCounters> WaitForAsync(Func<GatewayCounters, bool> condition, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            var counters = await ReadAsync();
            if (condition(counters))
            {
                return counters;
            }

            Assert.True(DateTime.UtcNow < until, $"the gateway never reached the expected state: {counters}");
            await Task.Delay(100);
        }
    }

    public Task<GatewayCounters> WaitUntilDrainedAsync(long expectedAccepted, TimeSpan timeout) =>
        WaitForAsync(c => c.Accepted >= expectedAccepted && c.IsDrainedAndBalanced, timeout);

    public void Dispose() => _http.Dispose();
}
