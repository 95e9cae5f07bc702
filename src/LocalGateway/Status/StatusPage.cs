namespace SocketRelay.LocalGateway.Status;

internal static class StatusPage
{
    public const string Html = """
        <!doctype html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <title>SocketRelay local gateway</title>
          <style>
            body { font-family: system-ui, sans-serif; margin: 2rem; color: #222; }
            table { border-collapse: collapse; }
            td { padding: .4rem 1.2rem; border-bottom: 1px solid #ddd; }
            td.n { text-align: right; font-variant-numeric: tabular-nums; font-weight: 600; }
            #error { color: #b00; }
          </style>
        </head>
        <body>
          <h1>SocketRelay local gateway</h1>
          <table>
            <tr><td>Open connections</td><td class="n" id="connections">…</td></tr>
            <tr><td>Messages accepted</td><td class="n" id="accepted">…</td></tr>
            <tr><td>Completed (answered or client gone)</td><td class="n" id="completed">…</td></tr>
            <tr><td>Waiting in the queue</td><td class="n" id="queueDepth">…</td></tr>
            <tr><td>In flight</td><td class="n" id="inFlight">…</td></tr>
            <tr><td>Dead-letter queue</td><td class="n" id="dlqDepth">…</td></tr>
          </table>
          <p id="error"></p>
          <script>
            async function refresh() {
              try {
                const status = await (await fetch('/_local/status')).json();
                for (const [key, value] of Object.entries(status)) {
                  const cell = document.getElementById(key);
                  if (cell) cell.textContent = value;
                }
                document.getElementById('error').textContent = '';
              } catch (e) {
                document.getElementById('error').textContent = 'gateway not reachable';
              }
            }
            refresh();
            setInterval(refresh, 1000);
          </script>
        </body>
        </html>
        """;
}
