using SocketRelay.LocalGateway.Queue;

namespace SocketRelay.LocalGateway.Hosting;

/// <summary>Opens the queue backend the options name.</summary>
internal static class GatewayQueue
{
    public static IFifoQueue Open(GatewayOptions options) => options.Queue switch
    {
        "sqlite" => SqliteFifoQueue.Open(
            new SqliteQueueOptions { DataDirectory = options.DataDir, MaxReceiveCount = options.MaxReceiveCount },
            TimeProvider.System),
        _ => throw new NotSupportedException($"queue backend '{options.Queue}' is not available"),
    };
}
