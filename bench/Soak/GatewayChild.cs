using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace SocketRelay.Soak;

/// <summary>The gateway as a child process that can be killed with SIGKILL and started again on the same data directory.</summary>
internal sealed partial class GatewayChild : IDisposable
{
    private readonly Process _process;

    private GatewayChild(Process process, Uri webSocketUrl)
    {
        _process = process;
        WebSocketUrl = webSocketUrl;
        Http = new HttpClient { BaseAddress = new UriBuilder(webSocketUrl) { Scheme = "http" }.Uri, Timeout = TimeSpan.FromSeconds(5) };
    }

    public Uri WebSocketUrl { get; }

    public HttpClient Http { get; }

    public static async Task<GatewayChild> StartAsync(string gatewayDll, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(gatewayDll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Information would print a line per connection; the soak only needs the banner.
        start.Environment["POWERTOOLS_LOG_LEVEL"] = "Warning";
        var process = Process.Start(start)!;
        var ready = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                ready.TrySetException(new InvalidOperationException("the gateway exited during start-up"));
            }
            else if (WebSocketLine().Match(e.Data) is { Success: true } match)
            {
                ready.TrySetResult(new Uri(match.Groups[1].Value));
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                Console.Error.WriteLine("gateway: " + e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new GatewayChild(process, await ready.Task.WaitAsync(TimeSpan.FromSeconds(60)));
    }

    public async Task<Counters> StatusAsync()
    {
        var status = await Http.GetFromJsonAsync<JsonElement>("/_local/status");
        return new Counters(
            status.GetProperty("accepted").GetInt64(), status.GetProperty("completed").GetInt64(),
            status.GetProperty("queueDepth").GetInt64(), status.GetProperty("inFlight").GetInt64(), status.GetProperty("dlqDepth").GetInt64());
    }

    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Kill();
        }

        Http.Dispose();
        _process.Dispose();
    }

    [GeneratedRegex(@"WebSocket API\s+(ws://\S+)")]
    private static partial Regex WebSocketLine();
}

internal sealed record Counters(long Accepted, long Completed, long QueueDepth, long InFlight, long DlqDepth)
{
    public bool Drained => QueueDepth == 0 && InFlight == 0 && Accepted == Completed + DlqDepth;
}
