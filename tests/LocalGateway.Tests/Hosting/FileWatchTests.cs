using SocketRelay.LocalGateway.Tests.Queue;
using SocketRelay.TestSupport;

namespace SocketRelay.LocalGateway.Tests.Hosting;

/// <summary>
/// The gateway runs in the developer's working directory, usually a repository with thousands of
/// folders, and writes its queue under <c>./.socketrelay</c> there. It must not watch that tree:
/// a recursive watch costs an inotify watch per folder (a big tree exhausts the user's limit) and an
/// event for every queue write.
/// </summary>
public sealed class FileWatchTests : IDisposable
{
    private readonly string _dataDir = QueueHarness.CreateTemporaryDirectory();

    [Fact]
    public async Task The_running_gateway_holds_no_file_system_watch()
    {
        using var gateway = await GatewayProcess.StartAsync(_dataDir);

        var watches = Directory.GetFiles($"/proc/{gateway.ProcessId}/fd")
            .Select(fd => new FileInfo(fd).LinkTarget)
            .Count(target => target is not null && target.Contains("inotify", StringComparison.Ordinal));

        Assert.Equal(0, watches);
    }

    public void Dispose() => Directory.Delete(_dataDir, recursive: true);
}
