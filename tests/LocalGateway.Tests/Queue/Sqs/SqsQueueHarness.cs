using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.SQS;
using SocketRelay.LocalGateway.Queue;
using SocketRelay.LocalGateway.Queue.Sqs;

namespace SocketRelay.LocalGateway.Tests.Queue.Sqs;

/// <summary>An <see cref="SqsFifoQueue"/> whose SDK client talks to a fresh <see cref="FakeSqsEndpoint"/>.</summary>
internal sealed class SqsQueueHarness : IAsyncDisposable
{
    private SqsQueueHarness(FakeSqsEndpoint endpoint)
    {
        Endpoint = endpoint;
        Client = endpoint.CreateClient();
        Queue = new SqsFifoQueue(Client, new SqsQueueOptions { QueueUrl = FakeSqsEndpoint.QueueUrl, ServiceUrl = endpoint.Url.ToString() });
    }

    public FakeSqsEndpoint Endpoint { get; }

    public AmazonSQSClient Client { get; }

    public SqsFifoQueue Queue { get; }

    public static async Task<SqsQueueHarness> StartAsync() => new(await FakeSqsEndpoint.StartAsync());

    /// <summary>Answers SendMessage as SQS does: an id, a sequence number and the body's digest.</summary>
    public void AcceptSends(string messageId = "5fea7756-0ea4-451a-a703-a558b933e274", string sequenceNumber = "18849496460467696128") =>
        Endpoint.On("SendMessage", body => SqsReply.Ok(new JsonObject
        {
            ["MessageId"] = messageId,
            ["SequenceNumber"] = sequenceNumber,
            ["MD5OfMessageBody"] = FakeSqsEndpoint.Md5Hex(body.GetProperty("MessageBody").GetString()!),
        }));

    public Task<SendResult> SendAsync(string body, IReadOnlyDictionary<string, string>? attributes = null) =>
        Queue.SendAsync(
            new OutgoingMessage(body, "connection-42", "request-7", attributes ?? new Dictionary<string, string>()),
            CancellationToken.None);

    public static JsonObject Messages(params JsonObject[] messages) => new() { ["Messages"] = new JsonArray(messages) };

    public static string BodyOf(JsonElement request) => request.GetProperty("MessageBody").GetString()!;

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Endpoint.DisposeAsync();
    }
}
