using System.Globalization;
using SocketRelay.LocalGateway.Tests.Queue;

namespace SocketRelay.LocalGateway.Tests;

/// <summary>
/// The test runner does not call this entry point; the crash-recovery test starts the test
/// assembly with it as a child process that writes to a queue until it is killed.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args) => args switch
    {
        [QueueWriter.Command, var dataDirectory, var count] =>
            await QueueWriter.RunAsync(dataDirectory, int.Parse(count, CultureInfo.InvariantCulture)),
        _ => 2,
    };
}
