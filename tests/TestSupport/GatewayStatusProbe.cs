using System.Net.Http.Json;
using System.Text.Json;

namespace SocketRelay.TestSupport;

/// <summary>The counters of the local gateway's <c>GET /_local/status</c> (JSON numbers), as an operator reads them.</summary>
public sealed record GatewayCounters(long Connections, long Accepted, long Completed, long QueueDepth, long InFlight, long DlqDepth)
{
    /// <summary>Nothing waits in the queue and nothing is in flight.</summary>
    public bool IsDrained => QueueDepth == 0 && InFlight == 0;

    /// <summary>Every accepted message is completed or dead-lettered: <c>accepted == completed + dlqDepth</c>.</summary>
    public bool IsBalanced => Accepted == Completed + DlqDepth;

    /// <summary><see cref="IsDrained"/> and <see cref="IsBalanced"/>: what the README promises once the queue has drained.</summary>
    public bool IsDrainedAndBalanced => IsDrained && IsBalanced;

    /// <summary>Reads the six counters of a status document.</summary>
    /// <exception cref="KeyNotFoundException">A counter is missing.</exception>
    /// <exception cref="InvalidOperationException">A counter is not a JSON number.</exception>
    public static GatewayCounters From(JsonElement status) => new(
        status.GetProperty("connections").GetInt64(),
        status.GetProperty("accepted").GetInt64(),
        status.GetProperty("completed").GetInt64(),
        status.GetProperty("queueDepth").GetInt64(),
        status.GetProperty("inFlight").GetInt64(),
        status.GetProperty("dlqDepth").GetInt64());
}

/// <summary>Reads <c>/_local/status</c> of a gateway at <c>httpUrl</c> and waits for its queue to drain.</summary>
public sealed class GatewayStatusProbe(Uri httpUrl) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = httpUrl, Timeout = TimeSpan.FromSeconds(5) };

    /// <summary>The status document as served.</summary>
    public async Task<JsonElement> ReadJsonAsync() => await _http.GetFromJsonAsync<JsonElement>("/_local/status");

    /// <summary>The counters now.</summary>
    public async Task<GatewayCounters> ReadAsync() => GatewayCounters.From(await ReadJsonAsync());

    /// <summary>Polls until <paramref name="condition"/> holds and returns those counters.</summary>
    /// <exception cref="TimeoutException">Not within <paramref name="timeout"/>; the message holds the last counters read.</exception>
    public Task<GatewayCounters> WaitForAsync(Func<GatewayCounters, bool> condition, TimeSpan timeout) =>
        Eventually.ReadUntilAsync(ReadAsync, condition, timeout, "the gateway's expected status");

    /// <summary>Waits until at least <paramref name="expectedAccepted"/> messages were accepted and all of them were settled.</summary>
    /// <exception cref="TimeoutException">Not within <paramref name="timeout"/>.</exception>
    public Task<GatewayCounters> WaitUntilDrainedAsync(long expectedAccepted, TimeSpan timeout) =>
        WaitForAsync(c => c.Accepted >= expectedAccepted && c.IsDrainedAndBalanced, timeout);

    public void Dispose() => _http.Dispose();
}
