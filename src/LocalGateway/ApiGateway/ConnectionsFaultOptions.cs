using SocketRelay.Application.Configuration;

namespace SocketRelay.LocalGateway.ApiGateway;

/// <summary>
/// Fault injection for the emulated <c>@connections</c> API, so users (and this project's tests)
/// can see how their function behaves when API Gateway throttles, fails or answers slowly.
/// Off by default. Faults apply to <c>POST</c> only, the call a function makes to reply.
/// </summary>
public sealed class ConnectionsFaultOptions
{
    /// <summary>The status codes a fault may answer with: throttling and server errors, the ones worth retrying.</summary>
    public static readonly IReadOnlySet<int> AllowedStatusCodes = new HashSet<int> { 429, 500, 502, 503, 504 };

    /// <summary>The start of the problem a status list outside <see cref="AllowedStatusCodes"/> is reported with.</summary>
    internal static string MustListAllowedCodes => $"must list codes among {string.Join(',', AllowedStatusCodes.Order())}";

    /// <summary>
    /// The share of <c>POST</c>s (0–1) answered with one of <see cref="StatusCodes"/> instead of being
    /// delivered: an injected fault never reaches the client, like a throttled call.
    /// </summary>
    public double Rate { get; set; }

    /// <summary>The statuses an injected fault answers with, picked at random for each fault.</summary>
    public IList<int> StatusCodes { get; set; } = [429, 500, 503];

    /// <summary>
    /// Each <c>POST</c> answers after a random extra delay of 0 to this many milliseconds, counted
    /// after a delivered frame went out: a caller that gives up first has already reached the client,
    /// which is how a retried reply can arrive twice.
    /// </summary>
    public int LatencyMs { get; set; }

    /// <summary>Seeds the fault dice, so a run can be repeated; null draws a new seed each start.</summary>
    public int? Seed { get; set; }

    public bool Enabled => Rate > 0 || LatencyMs > 0;

    /// <summary>Every setting that is out of range, by property name.</summary>
    public IEnumerable<OptionProblem> Problems()
    {
        if (Rate is < 0 or > 1 || double.IsNaN(Rate))
        {
            yield return new(nameof(Rate), $"must be between 0 and 1 (was {Rate})");
        }

        if (StatusCodes.Count == 0 || StatusCodes.Any(code => !AllowedStatusCodes.Contains(code)))
        {
            yield return new(nameof(StatusCodes), $"{MustListAllowedCodes} (was '{string.Join(',', StatusCodes)}')");
        }

        if (LatencyMs is < 0 or > 60_000)
        {
            yield return new(nameof(LatencyMs), $"must be 0–60000 (was {LatencyMs})");
        }
    }

    /// <exception cref="InvalidOptionsException">Any of <see cref="Problems"/>, all listed.</exception>
    public void Validate() => InvalidOptionsException.ThrowIfAny(nameof(ConnectionsFaultOptions), Problems());
}
