using SocketRelay.LocalGateway.Queue;
using SocketRelay.LocalGateway.Queue.Sqs;

namespace SocketRelay.LocalGateway.Hosting;

/// <summary>Opens the queue backend the options name.</summary>
internal static class GatewayQueue
{
    public static IFifoQueue Open(GatewayOptions options) => options.Queue switch
    {
        "sqlite" => SqliteFifoQueue.Open(
            new SqliteQueueOptions { DataDirectory = options.DataDir, MaxReceiveCount = options.MaxReceiveCount },
            TimeProvider.System),
        "sqs" => OpenSqs(options),
        _ => throw new NotSupportedException($"queue backend '{options.Queue}' is not available"),
    };

    private static SqsFifoQueue OpenSqs(GatewayOptions options)
    {
        var sqs = new SqsQueueOptions { QueueUrl = options.SqsQueueUrl ?? "", ServiceUrl = options.SqsServiceUrl, Region = options.Region };
        sqs.Validate();
        return new SqsFifoQueue(SqsClientFactory.Create(sqs), sqs);
    }
}
