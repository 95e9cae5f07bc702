using System.Globalization;

namespace SocketRelay.Soak;

internal sealed record SoakSettings(
    string GatewayDll, TimeSpan Duration, TimeSpan KillEvery, int Clients, TimeSpan Pace, int PoisonEvery, double FaultRate, int FaultLatencyMs)
{
    public static SoakSettings Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            values[args[i]] = args[i + 1];
        }

        string Get(string name, string fallback) => values.GetValueOrDefault(name, fallback);
        double Number(string name, string fallback) => double.Parse(Get(name, fallback), CultureInfo.InvariantCulture);
        return new SoakSettings(
            Get("--gateway-dll", ""),
            TimeSpan.FromMinutes(Number("--minutes", "5")),
            TimeSpan.FromSeconds(Number("--kill-every", "30")),
            (int)Number("--clients", "20"),
            TimeSpan.FromMilliseconds(Number("--pace-ms", "100")),
            (int)Number("--poison-every", "100"),
            Number("--fault-rate", "0.2"),
            (int)Number("--fault-latency-ms", "50"));
    }
}
