using Microsoft.Extensions.Logging;
using SocketRelay.LocalGateway.Hosting;
using SocketRelay.LocalGateway.Tests.ApiGateway;
using SocketRelay.TestSupport;

namespace SocketRelay.LocalGateway.Tests.Gateway;

/// <summary>
/// A <c>--function-binary</c> that cannot run is reported with what its exit code means, not only the code:
/// started through <c>setsid</c> (ADR-031), a missing <c>#!</c> interpreter is an exit with 127.
/// </summary>
public sealed class FunctionStartFailureTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "socketrelay-nointerpreter-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_binary_whose_interpreter_is_missing_is_logged_as_such_and_retried()
    {
        Directory.CreateDirectory(_folder);
        var bootstrap = Path.Combine(_folder, "bootstrap");
        await File.WriteAllTextAsync(bootstrap, "#!/nonexistent/interpreter\nprint('never')\n");
        File.SetUnixFileMode(bootstrap, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        using var log = new RecordingLoggerProvider();

        await using (await GatewayHost.StartAsync(
            new GatewayOptions { Port = 0, DataDir = Path.Combine(_folder, "data"), Pollers = 1, FunctionBinary = bootstrap },
            Environment.GetEnvironmentVariable,
            TextWriter.Null,
            logging => logging.AddProvider(log).SetMinimumLevel(LogLevel.Warning)))
        {
            // A child process starts slowly on a loaded machine: 30 s.
            await Eventually.TrueAsync(
                () => log.Entries.Any(e => e.Level == LogLevel.Error && e.Message.Contains("before asking for an event", StringComparison.Ordinal)),
                TimeSpan.FromSeconds(30));
        }

        var failed = log.Entries.First(e => e.Message.Contains("before asking for an event", StringComparison.Ordinal)).Message;
        Assert.Contains("the binary or the interpreter on its #! line was not found", failed, StringComparison.Ordinal);
        Assert.Contains("starting again in 0.5 s", failed, StringComparison.Ordinal);
    }
}
