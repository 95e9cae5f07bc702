using System.Diagnostics;
using System.Text.Json;

namespace SocketRelay.LocalGateway.Tests.Gateway;

/// <summary>
/// A custom-runtime function written in Python (standard library only) for <c>--function-binary</c>: it loops
/// on the Runtime API, prints each invocation's <c>Lambda-Runtime-*</c> headers, its <c>AWS_REGION</c> and <c>AWS_LAMBDA_FUNCTION_NAME</c> and the raw
/// event as one JSON line (<c>{"probe":"invocation",…}</c>) to its output, and answers every event with a fixed
/// response body. It shows what a function in any language is handed, byte for byte.
/// </summary>
internal sealed class ScriptedFunction : IDisposable
{
    private const string Loop = """
        import json, os, time, urllib.request
        base = "http://" + os.environ["AWS_LAMBDA_RUNTIME_API"] + "/2018-06-01/runtime"
        while True:
            with urllib.request.urlopen(base + "/invocation/next") as next_event:
                headers = {k.lower(): v for k, v in next_event.headers.items() if k.lower().startswith("lambda-runtime-")}
                event = next_event.read().decode("utf-8")
            print(json.dumps({"probe": "invocation", "headers": headers, "region": os.environ.get("AWS_REGION"), "function_name": os.environ.get("AWS_LAMBDA_FUNCTION_NAME"), "event": event}), flush=True)
            time.sleep(SLEEP_SECONDS)
            request_id = headers["lambda-runtime-aws-request-id"]
            answer = urllib.request.Request(base + "/invocation/" + request_id + "/response", data=RESPONSE.encode("utf-8"), method="POST")
            urllib.request.urlopen(answer).read()
        """;

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "socketrelay-scripted-" + Guid.NewGuid().ToString("N"));

    /// <param name="response">The body posted to <c>/invocation/{id}/response</c> for every event, e.g. <c>""</c>.</param>
    /// <param name="sleepSeconds">How long it works on each event before it answers.</param>
    public ScriptedFunction(string response, double sleepSeconds = 0)
    {
        Directory.CreateDirectory(_folder);
        Bootstrap = Path.Combine(_folder, "bootstrap");
        // The interpreter's own path: the function's PATH is the Lambda one, not this shell's.
        File.WriteAllText(Bootstrap, $"#!{Interpreter.Value}\nRESPONSE = {JsonSerializer.Serialize(response)}\nSLEEP_SECONDS = {sleepSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}\n{Loop}\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Bootstrap, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    public string Bootstrap { get; }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>The invocation lines a scripted function printed into the function logs, parsed.</summary>
    public static IReadOnlyList<JsonElement> Invocations(string functionLogs) =>
        [.. functionLogs.Split('\n')
            .Where(l => l.StartsWith("{\"probe\": \"invocation\"", StringComparison.Ordinal))
            .Select(l => JsonDocument.Parse(l).RootElement.Clone())];

    private static readonly Lazy<string> Interpreter = new(() =>
    {
        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("import sys; print(sys.executable)");
        using var python = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start");
        var path = python.StandardOutput.ReadToEnd().Trim();
        python.WaitForExit();
        return path;
    });
}
