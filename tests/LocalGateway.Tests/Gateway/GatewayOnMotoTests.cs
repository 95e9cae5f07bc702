using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using SocketRelay.Infrastructure.Serialization;
using SocketRelay.LocalGateway.Hosting;
using SocketRelay.LocalGateway.Tests.Queue.Moto;
using SocketRelay.TestSupport;

namespace SocketRelay.LocalGateway.Tests.Gateway;

/// <summary>
/// The whole gateway with <c>--queue sqs</c> on moto's SQS. One poller: moto 5.2's ReceiveMessage is
/// not atomic across concurrent receivers and would break group order where SQS does not.
/// </summary>
[Collection(MotoServerGroup.Name)]
public sealed class GatewayOnMotoTests(MotoServer moto)
{
    [Fact]
    public async Task Replies_come_back_in_order_per_connection_and_the_status_counters_balance()
    {
        using var client = moto.CreateClient();
        var queueUrl = await MotoServer.CreateFifoQueueAsync(client, maxReceiveCount: 5);
        var dataDir = Path.Combine(Path.GetTempPath(), "socketrelay-moto-" + Guid.NewGuid().ToString("N"));
        await using var gateway = await GatewayHost.StartAsync(
            new GatewayOptions { Port = 0, DataDir = dataDir, Queue = "sqs", SqsQueueUrl = queueUrl, SqsServiceUrl = moto.Url.ToString(), Pollers = 1 },
            Environment.GetEnvironmentVariable,
            TextWriter.Null,
            logging => logging.SetMinimumLevel(LogLevel.Warning));
        const int perConnection = 6;

        var sockets = await Task.WhenAll(Enumerable.Range(0, 4).Select(async c =>
        {
            var socket = new ClientWebSocket();
            await socket.ConnectAsync(gateway.WebSocketUrl, CancellationToken.None);
            for (var i = 0; i < perConnection; i++)
            {
                await socket.SendTextAsync($"{{\"client\":{c},\"seq\":{i}}}");
            }

            return socket;
        }));
        for (var c = 0; c < sockets.Length; c++)
        {
            for (var i = 0; i < perConnection; i++)
            {
                var reply = JsonSerializer.Deserialize(await sockets[c].ReceiveTextAsync(TimeSpan.FromSeconds(30)), SocketRelayJsonContext.Wire.ReplyEnvelope)!;
                Assert.Equal($"{{\"client\":{c},\"seq\":{i}}}", reply.Message);
            }

            sockets[c].Dispose();
        }

        using var http = new HttpClient { BaseAddress = gateway.HttpUrl };
        var status = await Eventually.ReadUntilAsync(
            () => http.GetFromJsonAsync<JsonObject>("/_local/status"),
            // Drained: every message completed and none left visible or in flight (SQS's counts are read after the deletes).
            s => (long)s!["completed"]! == sockets.Length * perConnection && (long)s["queueDepth"]! == 0 && (long)s["inFlight"]! == 0,
            TimeSpan.FromSeconds(20),
            "every message deleted after its reply");
        Assert.Equal(sockets.Length * perConnection, (long)status!["accepted"]!);
        Assert.Equal(0, (long)status["queueDepth"]!);
        Assert.Equal(0, (long)status["inFlight"]!);
        Assert.Equal(0, (long)status["dlqDepth"]!);
    }

    [Fact]
    public async Task The_gateway_executable_on_sqs_answers_every_message_and_its_status()
    {
        // The executable, not the host in the test process: it chooses how its sockets complete (ADR-046).
        using var client = moto.CreateClient();
        var queueUrl = await MotoServer.CreateFifoQueueAsync(client, maxReceiveCount: 5);
        var dataDir = Path.Combine(Path.GetTempPath(), "socketrelay-moto-" + Guid.NewGuid().ToString("N"));
        using var gateway = await GatewayProcess.StartAsync(dataDir, "--queue", "sqs", "--sqs-queue-url", queueUrl, "--sqs-service-url", moto.Url.ToString(), "--pollers", "1");
        const int perConnection = 5;

        var sockets = await Task.WhenAll(Enumerable.Range(0, 3).Select(async c =>
        {
            var socket = new ClientWebSocket();
            await socket.ConnectAsync(gateway.WebSocketUrl, CancellationToken.None);
            for (var i = 0; i < perConnection; i++)
            {
                await socket.SendTextAsync($"{{\"client\":{c},\"seq\":{i}}}");
            }

            return socket;
        }));
        for (var c = 0; c < sockets.Length; c++)
        {
            for (var i = 0; i < perConnection; i++)
            {
                var reply = JsonSerializer.Deserialize(await sockets[c].ReceiveTextAsync(TimeSpan.FromSeconds(30)), SocketRelayJsonContext.Wire.ReplyEnvelope)!;
                Assert.Equal($"{{\"client\":{c},\"seq\":{i}}}", reply.Message);
            }

            sockets[c].Dispose();
        }

        using var http = new HttpClient { BaseAddress = gateway.HttpUrl, Timeout = TimeSpan.FromSeconds(10) };
        var status = await Eventually.ReadUntilAsync(
            () => http.GetFromJsonAsync<JsonObject>("/_local/status"),
            s => (long)s!["completed"]! == sockets.Length * perConnection,
            TimeSpan.FromSeconds(20),
            "every message deleted after its reply");
        Assert.Equal(sockets.Length * perConnection, (long)status!["accepted"]!);
    }
}
