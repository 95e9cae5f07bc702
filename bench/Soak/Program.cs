using System.Globalization;
using SocketRelay.Soak;

// bench/soak: load with injected @connections faults, SIGKILL of the gateway every --kill-every
// seconds and a restart on the same data directory; then a last epoch that drains, and the tally.
var settings = SoakSettings.Parse(args);
var dataDir = Path.Combine(Path.GetTempPath(), "socketrelay-soak-" + Guid.NewGuid().ToString("N"));
string[] gatewayArguments =
[
    "--port", "0", "--data-dir", dataDir, "--function-timeout", "5", "--visibility-timeout", "5", "--max-receive-count", "5",
    "--fault-rate", settings.FaultRate.ToString(CultureInfo.InvariantCulture), "--fault-status", "429,500,503",
    "--fault-latency-ms", settings.FaultLatencyMs.ToString(CultureInfo.InvariantCulture),
];
var end = DateTime.UtcNow + settings.Duration;
var killed = new List<SoakClient>();
var survived = new List<SoakClient>();
Counters final;
var epoch = 0;
try
{
    while (true)
    {
        var last = DateTime.UtcNow + settings.KillEvery >= end;
        using var gateway = await GatewayChild.StartAsync(settings.GatewayDll, gatewayArguments);
        var clients = Enumerable.Range(0, settings.Clients).Select(c => new SoakClient(epoch, c, settings.PoisonEvery)).ToList();
        using var stopSending = new CancellationTokenSource(settings.KillEvery);
        using var stopReceiving = new CancellationTokenSource();
        var running = clients.Select(c => c.RunAsync(gateway.WebSocketUrl, settings.Pace, stopSending.Token, stopReceiving.Token)).ToList();
        await Task.Delay(settings.KillEvery);
        if (!last)
        {
            gateway.Kill();
            await stopReceiving.CancelAsync();
            await Task.WhenAll(running);
            killed.AddRange(clients);
            Console.WriteLine($"epoch {epoch}: sent {clients.Sum(c => c.Sent)}, killed the gateway with SIGKILL");
            epoch++;
            continue;
        }

        final = await WaitUntilDrainedAsync(gateway, TimeSpan.FromMinutes(10));
        await Task.Delay(1000);
        await stopReceiving.CancelAsync();
        await Task.WhenAll(running);
        survived.AddRange(clients);
        Console.WriteLine($"epoch {epoch}: sent {clients.Sum(c => c.Sent)}, drained");
        break;
    }
}
finally
{
    Directory.Delete(dataDir, recursive: true);
}

var tally = Tally.From(killed, survived, final, epoch);
Console.WriteLine(tally.Render(settings));
return tally.Drained && tally.Lost == 0 && tally.OrderViolations == 0 ? 0 : 1;

static async Task<Counters> WaitUntilDrainedAsync(GatewayChild gateway, TimeSpan timeout)
{
    var until = DateTime.UtcNow + timeout;
    while (true)
    {
        var counters = await gateway.StatusAsync();
        if (counters.Drained || DateTime.UtcNow > until)
        {
            return counters;
        }

        await Task.Delay(250);
    }
}
