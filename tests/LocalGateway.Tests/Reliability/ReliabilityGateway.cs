using Microsoft.Extensions.Logging;
using SocketRelay.LocalGateway.Hosting;
using SocketRelay.TestSupport;

namespace SocketRelay.LocalGateway.Tests.Reliability;

/// <summary>
/// A whole local gateway in-process (SQLite queue in its own temp folder, in-process function) whose
/// function sees <c>SOCKETRELAY_*</c> overrides, e.g. fast retries.
/// </summary>
internal sealed class ReliabilityGateway : IAsyncDisposable
{
    private readonly string _dataDir;

    private ReliabilityGateway(GatewayHost host, string dataDir, StringWriter functionLogs)
    {
        Host = host;
        _dataDir = dataDir;
        FunctionLogs = functionLogs;
        Status = new GatewayStatusProbe(host.HttpUrl);
    }

    public GatewayHost Host { get; }

    public GatewayStatusProbe Status { get; }

    public StringWriter FunctionLogs { get; }

    /// <summary>Retries fast enough for tests, and enough of them to outlast a 25 % fault rate.</summary>
    public static Dictionary<string, string> FastRetries { get; } = new(StringComparer.Ordinal)
    {
        ["SOCKETRELAY_RETRY_MAX_ATTEMPTS"] = "8",
        ["SOCKETRELAY_RETRY_BASE_DELAY_MS"] = "10",
        ["SOCKETRELAY_RETRY_MAX_DELAY_MS"] = "100",
    };

    /// <summary>
    /// A gateway that dead-letters a message that can never be delivered within seconds: two receives,
    /// 2 s function and visibility time-outs, and a 300 ms deadline margin for the function.
    /// </summary>
    public static Task<ReliabilityGateway> StartWithQuickRedriveAsync() => StartAsync(
        options =>
        {
            options.MaxReceiveCount = 2;
            options.FunctionTimeoutSeconds = 2;
            options.VisibilityTimeoutSeconds = 2;
        },
        new Dictionary<string, string>(StringComparer.Ordinal) { ["SOCKETRELAY_DEADLINE_MARGIN_MS"] = "300" });

    public static async Task<ReliabilityGateway> StartAsync(
        Action<GatewayOptions> configure, IReadOnlyDictionary<string, string> functionEnvironment, Action<ILoggingBuilder>? configureLogging = null)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "socketrelay-reliability-" + Guid.NewGuid().ToString("N"));
        var options = new GatewayOptions { Port = 0, DataDir = dataDir, Pollers = 4, FunctionTimeoutSeconds = 10, VisibilityTimeoutSeconds = 10 };
        configure(options);
        var logs = new StringWriter();
        var host = await GatewayHost.StartAsync(
            options,
            name => functionEnvironment.TryGetValue(name, out var value) ? value : Environment.GetEnvironmentVariable(name),
            TextWriter.Synchronized(logs),
            configureLogging ?? (logging => logging.SetMinimumLevel(LogLevel.Warning)));
        return new ReliabilityGateway(host, dataDir, logs);
    }

    public async ValueTask DisposeAsync()
    {
        Status.Dispose();
        await Host.DisposeAsync();
        Directory.Delete(_dataDir, recursive: true);
        PowertoolsLogSchema.AssertLines(FunctionLogs.ToString());
    }
}
