using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SocketRelay.Deployment.Tests.Support;
using SocketRelay.Deployment.Tests.Vtl;
using SocketRelay.LocalGateway.ApiGateway;
using SocketRelay.LocalGateway.Hosting;
using SocketRelay.LocalGateway.Queue;
using SocketRelay.TestSupport;

namespace SocketRelay.Deployment.Tests.MappingTemplate;

/// <summary>
/// The local gateway and the deployed mapping template put the same message on the queue for the
/// same frame and the same connection and request ids: body, group, deduplication id and attributes.
/// </summary>
public sealed class LocalGatewayContractTests(SynthesizedTemplateFixture fixture) : IClassFixture<SynthesizedTemplateFixture>
{
    [Fact]
    public async Task The_local_gateway_queues_exactly_what_the_deployed_template_sends_for_every_corpus_frame()
    {
        var queue = new CapturingQueue();
        await using var app = await StartGatewayAsync(queue);
        var frames = AdversarialCorpus.Frames;

        for (var i = 0; i < frames.Count; i++)
        {
            var frame = frames[i];
            using var socket = new ClientWebSocket();
            await socket.ConnectAsync(WebSocketUrl(app), CancellationToken.None);
            await SendInFramesOf32KbAsync(socket, frame.Body);
            await queue.WaitForCountAsync(i + 1);
        }

        var mismatches = new List<string>();
        foreach (var (frame, queued) in frames.Zip(queue.Messages))
        {
            var context = new GatewayContext(queued.MessageAttributes["connectionId"], queued.MessageAttributes["requestId"]);
            var rendered = await VtlRenderer.RenderSendMessageAsync(fixture.SendMessageMappingTemplate, frame.Body, context);
            Compare(frame.Name, "MessageBody", rendered.MessageBody, queued.Body, mismatches);
            Compare(frame.Name, "MessageGroupId", rendered.MessageGroupId, queued.MessageGroupId, mismatches);
            Compare(frame.Name, "MessageDeduplicationId", rendered.MessageDeduplicationId, queued.MessageDeduplicationId, mismatches);
            Compare(frame.Name, "connectionId", rendered.StringAttribute("connectionId"), queued.MessageAttributes["connectionId"], mismatches);
            Compare(frame.Name, "requestId", rendered.StringAttribute("requestId"), queued.MessageAttributes["requestId"], mismatches);
            Compare(frame.Name, "attribute names", "connectionId,requestId", string.Join(',', queued.MessageAttributes.Keys.Order(StringComparer.Ordinal)), mismatches);
        }

        Assert.True(mismatches.Count == 0, string.Join('\n', mismatches));
    }

    private static void Compare(string frame, string what, string? template, string gateway, List<string> mismatches)
    {
        if (!string.Equals(template, gateway, StringComparison.Ordinal))
        {
            mismatches.Add($"{frame}: {what} differs: template '{Shorten(template)}', gateway '{Shorten(gateway)}'");
        }
    }

    private static string? Shorten(string? text) => text is { Length: > 120 } ? text[..120] + "…" : text;

    private static async Task SendInFramesOf32KbAsync(ClientWebSocket socket, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        const int frame = 32 * 1024;
        for (var offset = 0; offset < bytes.Length; offset += frame)
        {
            var count = Math.Min(frame, bytes.Length - offset);
            await socket.SendAsync(bytes.AsMemory(offset, count), WebSocketMessageType.Text, offset + count == bytes.Length, CancellationToken.None);
        }
    }

    private static async Task<WebApplication> StartGatewayAsync(IFifoQueue queue)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Services.AddSingleton(queue).AddSingleton<IInboundMessageSink, QueueInboundSink>().AddApiGateway();
        var app = builder.Build();
        app.UseApiGateway();
        await app.StartAsync();
        return app;
    }

    private static Uri WebSocketUrl(WebApplication app) =>
        new UriBuilder(app.BoundAddress()) { Scheme = "ws" }.Uri;

    /// <summary>Records sends; the contract is about what reaches the queue, so nothing is ever received.</summary>
    private sealed class CapturingQueue : IFifoQueue
    {
        private readonly ConcurrentQueue<OutgoingMessage> _sent = new();

        public IReadOnlyList<OutgoingMessage> Messages => [.. _sent];

        public Task WaitForCountAsync(int count) =>
            Eventually.TrueAsync(() => _sent.Count >= count, TimeSpan.FromSeconds(10), $"{count} queued frames");

        public Task<SendResult> SendAsync(OutgoingMessage message, CancellationToken cancellationToken)
        {
            _sent.Enqueue(message);
            return Task.FromResult(new SendResult(Guid.NewGuid().ToString(), _sent.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), false));
        }

        public Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(int maxMessages, TimeSpan visibilityTimeout, TimeSpan waitTime, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<ReceivedMessage>>([]);

        public Task<bool> DeleteAsync(string receiptHandle, CancellationToken cancellationToken) => Task.FromResult(false);

        public Task<QueueStats> GetStatsAsync(CancellationToken cancellationToken) => Task.FromResult(new QueueStats(_sent.Count, 0, _sent.Count, 0, 0));
    }
}
