using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using SocketRelay.Infrastructure.Serialization;

namespace SocketRelay.LocalGateway.Tests.Reliability;

/// <summary>
/// A WebSocket client that sends numbered messages (<c>{"seq":n}</c>, optionally in a named group)
/// and records every reply it receives, in arrival order, until disposed.
/// </summary>
internal sealed class LedgerClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly List<(string RequestId, int Seq)> _replies = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _receiving;
    private int _errorFrames;

    private LedgerClient(ClientWebSocket socket, string? groupId)
    {
        _socket = socket;
        GroupId = groupId;
        _receiving = Task.Run(ReceiveAllAsync);
    }

    public string? GroupId { get; }

    /// <summary>How many error frames (<c>Invalid request body</c>) the gateway sent this client.</summary>
    public int ErrorFrames => Volatile.Read(ref _errorFrames);

    public static async Task<LedgerClient> ConnectAsync(Uri webSocketUrl, string? groupId)
    {
        var socket = new ClientWebSocket();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await socket.ConnectAsync(webSocketUrl, timeout.Token);
        return new LedgerClient(socket, groupId);
    }

    public static string Body(string? groupId, int seq) =>
        groupId is null ? $$"""{"seq":{{seq}}}""" : $$"""{"MessageGroupId":"{{groupId}}","seq":{{seq}}}""";

    public async Task SendAsync(int seq)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _socket.SendAsync(Encoding.UTF8.GetBytes(Body(GroupId, seq)), WebSocketMessageType.Text, endOfMessage: true, timeout.Token);
    }

    /// <summary>Sends <paramref name="body"/> as one message in 16 KB fragments, so it may exceed the 32 KB frame limit.</summary>
    public async Task SendLargeAsync(string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        for (var offset = 0; offset < bytes.Length; offset += 16 * 1024)
        {
            var length = Math.Min(16 * 1024, bytes.Length - offset);
            await _socket.SendAsync(bytes.AsMemory(offset, length), WebSocketMessageType.Text, offset + length == bytes.Length, timeout.Token);
        }
    }

    /// <summary>What this client received so far, judged against the messages it sent.</summary>
    public LedgerReport Report(int sent)
    {
        lock (_replies)
        {
            return LedgerReport.From([.. _replies], sent);
        }
    }

    /// <summary>The sequence numbers of the replies received so far, in arrival order.</summary>
    public IReadOnlyList<int> ReceivedSeqs
    {
        get
        {
            lock (_replies)
            {
                return [.. _replies.Select(r => r.Seq)];
            }
        }
    }

    public int UniqueReplies
    {
        get
        {
            lock (_replies)
            {
                return _replies.Select(r => r.RequestId).Distinct(StringComparer.Ordinal).Count();
            }
        }
    }

    private async Task ReceiveAllAsync()
    {
        var buffer = new byte[256 * 1024];
        try
        {
            while (true)
            {
                using var frame = new MemoryStream();
                WebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(buffer, _stop.Token);
                    frame.Write(buffer, 0, result.Count);
                }
                while (!result.EndOfMessage);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                var reply = JsonSerializer.Deserialize(frame.ToArray(), SocketRelayJsonContext.Wire.ReplyEnvelope)!;
                if (reply.Message == "Invalid request body")
                {
                    Interlocked.Increment(ref _errorFrames);
                    continue;
                }

                using var message = JsonDocument.Parse(reply.Message);
                lock (_replies)
                {
                    _replies.Add((reply.RequestId, message.RootElement.GetProperty("seq").GetInt32()));
                }
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or WebSocketException)
        {
            // Stopped by the test, or the gateway went away.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _receiving;
        _socket.Abort();
        _socket.Dispose();
        _stop.Dispose();
    }
}

/// <summary>
/// One client's replies judged against what it sent: the sequence numbers never answered, the
/// extra copies of replies already received (same request id), and whether first arrivals kept the
/// order the messages were sent in.
/// </summary>
internal sealed record LedgerReport(IReadOnlyList<int> Missing, int Duplicates, int MostCopiesOfOneReply, bool InOrder)
{
    public static LedgerReport From(IReadOnlyList<(string RequestId, int Seq)> replies, int sent)
    {
        var firstArrivals = new List<int>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (requestId, seq) in replies)
        {
            if (seen.Add(requestId))
            {
                firstArrivals.Add(seq);
            }
        }

        var inOrder = firstArrivals.Zip(firstArrivals.Skip(1)).All(pair => pair.First < pair.Second);
        var copies = replies.GroupBy(r => r.RequestId, StringComparer.Ordinal).Select(g => g.Count()).DefaultIfEmpty(0).Max();
        return new LedgerReport(
            [.. Enumerable.Range(0, sent).Except(firstArrivals)],
            replies.Count - seen.Count,
            copies,
            inOrder);
    }
}
