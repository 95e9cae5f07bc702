using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using SocketRelay.Infrastructure.Serialization;
using SocketRelay.LocalGateway.Hosting;
using SocketRelay.LocalGateway.Tests.Queue.Sqs;
using SocketRelay.TestSupport;

namespace SocketRelay.LocalGateway.Tests.Gateway;

/// <summary><c>--queue sqs</c>: the gateway sends to, receives from and deletes on an endpoint speaking the SQS protocol.</summary>
public sealed class GatewaySqsBackendTests
{
    [Fact]
    public async Task A_frame_goes_through_the_sqs_protocol_and_its_reply_comes_back()
    {
        await using var sqs = await FakeSqsEndpoint.StartAsync();
        var queue = new InMemorySqs(sqs);
        var dataDir = Path.Combine(Path.GetTempPath(), "socketrelay-sqs-" + Guid.NewGuid().ToString("N"));
        await using var gateway = await GatewayHost.StartAsync(
            new GatewayOptions { Port = 0, DataDir = dataDir, Queue = "sqs", SqsQueueUrl = FakeSqsEndpoint.QueueUrl, SqsServiceUrl = sqs.Url.ToString(), Pollers = 1 },
            Environment.GetEnvironmentVariable,
            TextWriter.Null,
            logging => logging.SetMinimumLevel(LogLevel.Warning));
        using var socket = new System.Net.WebSockets.ClientWebSocket();
        await socket.ConnectAsync(gateway.WebSocketUrl, CancellationToken.None);

        await socket.SendTextAsync("{\"MessageGroupId\": \"test\", \"data\": \"hello world\"}");
        var reply = JsonSerializer.Deserialize(await socket.ReceiveTextAsync(), SocketRelayJsonContext.Wire.ReplyEnvelope)!;

        var sent = sqs.Single("SendMessage");
        Assert.Equal("{\"MessageGroupId\":\"test\",\"data\":\"hello world\"}", sent.Text("MessageBody"));
        Assert.Equal("test", sent.Text("MessageGroupId"));
        Assert.Equal(reply.RequestId, sent.Text("MessageDeduplicationId"));
        Assert.Equal(reply.ConnectionId, sent.Body.GetProperty("MessageAttributes").GetProperty("connectionId").GetProperty("StringValue").GetString());
        Assert.Equal("{\"MessageGroupId\":\"test\",\"data\":\"hello world\"}", reply.Message);
        await queue.WaitForDeleteAsync("handle-1");
    }

    /// <summary>Just enough SQS behind the fake endpoint: sends are queued, received once, deleted by handle.</summary>
    private sealed class InMemorySqs
    {
        private readonly ConcurrentQueue<JsonObject> _waiting = new();
        private readonly ConcurrentBag<string> _deleted = [];
        private int _sequence;

        public InMemorySqs(FakeSqsEndpoint endpoint)
        {
            endpoint.On("SendMessage", Send);
            endpoint.On("ReceiveMessage", _ => Receive());
            endpoint.On("DeleteMessage", request =>
            {
                _deleted.Add(request.GetProperty("ReceiptHandle").GetString()!);
                return SqsReply.Ok();
            });
        }

        public Task WaitForDeleteAsync(string handle) =>
            Eventually.TrueAsync(() => _deleted.Contains(handle), TimeSpan.FromSeconds(10), $"the delete of {handle}");

        private SqsReply Send(JsonElement request)
        {
            var n = Interlocked.Increment(ref _sequence);
            var body = request.GetProperty("MessageBody").GetString()!;
            var attributes = new JsonObject();
            foreach (var attribute in request.GetProperty("MessageAttributes").EnumerateObject())
            {
                attributes[attribute.Name] = new JsonObject { ["StringValue"] = attribute.Value.GetProperty("StringValue").GetString(), ["DataType"] = "String" };
            }

            _waiting.Enqueue(new JsonObject
            {
                ["MessageId"] = $"message-{n}",
                ["ReceiptHandle"] = $"handle-{n}",
                ["MD5OfBody"] = FakeSqsEndpoint.Md5Hex(body),
                ["Body"] = body,
                ["Attributes"] = new JsonObject
                {
                    ["ApproximateReceiveCount"] = "1",
                    ["SentTimestamp"] = "1767225600000",
                    ["ApproximateFirstReceiveTimestamp"] = "1767225600250",
                    ["SenderId"] = "AIDASOCKETRELAYTEST",
                    ["SequenceNumber"] = $"1884949646046769{n:D4}",
                    ["MessageGroupId"] = request.GetProperty("MessageGroupId").GetString(),
                    ["MessageDeduplicationId"] = request.GetProperty("MessageDeduplicationId").GetString(),
                },
                ["MessageAttributes"] = attributes,
            });
            return SqsReply.Ok(new JsonObject { ["MessageId"] = $"message-{n}", ["SequenceNumber"] = $"{n}", ["MD5OfMessageBody"] = FakeSqsEndpoint.Md5Hex(body) });
        }

        private SqsReply Receive()
        {
            if (!_waiting.TryDequeue(out var message))
            {
                Thread.Sleep(50); // a short long-poll, so idle pollers do not spin
                return SqsReply.Ok(new JsonObject { ["Messages"] = new JsonArray() });
            }

            return SqsReply.Ok(new JsonObject { ["Messages"] = new JsonArray(message) });
        }
    }
}
