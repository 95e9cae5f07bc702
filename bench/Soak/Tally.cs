using System.Globalization;
using System.Text;

namespace SocketRelay.Soak;

/// <summary>
/// The soak's verdict. Client side, per message: delivered (first copy), duplicated (extra copies),
/// gone (its sender's connection died in a kill before the reply), lost (sender stayed connected,
/// no reply, not poison). Server side: <c>accepted − completed − dlqDepth</c> once drained.
/// </summary>
internal sealed record Tally(
    long Sent, long Delivered, long Duplicated, long Gone, long Lost, long PoisonSent, long OrderViolations, int Kills, Counters Server)
{
    /// <summary>Only meaningful once drained: until then, what is still queued is not lost.</summary>
    public long ServerLost => Server.Drained ? 0 : Server.Accepted - Server.Completed - Server.DlqDepth;

    public bool Drained => Server.Drained;

    public static Tally From(List<SoakClient> killed, List<SoakClient> survived, Counters server, int kills)
    {
        long delivered = 0, duplicated = 0, gone = 0, lost = 0, violations = 0;
        foreach (var (client, survivedKill) in killed.Select(c => (c, false)).Concat(survived.Select(c => (c, true))))
        {
            var first = client.Arrivals.Distinct().ToList();
            delivered += first.Count;
            duplicated += client.Arrivals.Count - first.Count;
            violations += first.Zip(first.Skip(1)).Count(pair => pair.First >= pair.Second);
            var missing = Enumerable.Range(0, client.Sent).Except(first).Count(seq => !client.Poison.Contains(seq));
            if (survivedKill)
            {
                lost += missing;
            }
            else
            {
                gone += missing;
            }
        }

        return new Tally(
            killed.Concat(survived).Sum(c => c.Sent), delivered, duplicated, gone, lost,
            killed.Concat(survived).Sum(c => c.PoisonSent), violations, kills, server);
    }

    public string Render(SoakSettings settings)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"""

            SocketRelay soak: {settings.Duration.TotalMinutes:0.#} min, {settings.Clients} clients every epoch, kill -9 every {settings.KillEvery.TotalSeconds:0} s ({Kills} kills),
            faults {settings.FaultRate:P0} of @connections POSTs (429/500/503), latency 0–{settings.FaultLatencyMs} ms, 1 poison message in {settings.PoisonEvery}
            """);
        text.AppendLine(CultureInfo.InvariantCulture, $"  sent by clients            {Sent,10}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  accepted (gateway)         {Server.Accepted,10}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  delivered (first copy)     {Delivered,10}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  duplicated (extra copies)  {Duplicated,10}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  gone (sender killed)       {Gone,10}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  poison sent / DLQ          {PoisonSent,5} / {Server.DlqDepth}");
        if (!Drained)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  NOT DRAINED in time: {Server.QueueDepth} queued, {Server.InFlight} in flight; lower the load (--pace-ms) and run again");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"  lost (client side)         {Lost,10}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  lost (server side)         {ServerLost,10}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  order violations           {OrderViolations,10}");
        return text.ToString();
    }
}
