using System.Diagnostics;
using System.Text.Json;
using SocketRelay.TestSupport;

namespace SocketRelay.LocalGateway.Tests.Lambda;

/// <summary>
/// Functions run by AWS's Node.js runtime interface client (<c>aws-lambda-ric</c>), installed once per test run
/// from the lock file of <c>samples/node-function</c> (its native part builds from source the first time,
/// minutes; later runs find it in place). <see cref="Probes"/> is a folder whose <c>bootstrap</c> starts that
/// client on <c>handlers.js</c>: handlers that print one JSON line (<c>{"probe":…}</c>) per invocation to
/// their standard output, which the gateway copies to its function logs.
/// </summary>
internal static class NodeFunction
{
    private const string Handlers = """
        const fs = require("fs");
        const probe = (name, extra) => fs.writeSync(1, JSON.stringify({ probe: name, pid: process.pid, ...extra }) + "\n");
        // Prints the whole environment it runs in, then answers null: the batch succeeded.
        exports.env = async () => { probe("env", { env: process.env }); return null; };
        // Logs as handlers usually do: console.log (the client adds the time, the request id and the level), and a raw line.
        exports.logs = async () => { console.log("plain text from console.log"); fs.writeSync(1, "a raw line with no request id\n"); return null; };
        // Fails every invocation.
        exports.fail = async () => { probe("fail"); throw new Error("orders table is missing"); };
        // Outlives any short timeout for a message whose body says "slow"; answers at once otherwise.
        exports.slow = async (event) => {
          const slow = event.Records.some(r => r.body.includes("slow"));
          probe("slow", { slow, at: Date.now() });
          if (slow) { await new Promise(resolve => setTimeout(resolve, 10000)); }
          return null;
        };
        """;

    private static readonly RunOnce<string> Install = new(InstallAsync);

    /// <summary><c>samples/node-function</c>.</summary>
    public static string SampleFolder { get; } = RepositoryRoot.Combine("samples", "node-function");

    /// <summary>The sample's <c>bootstrap</c>, its packages installed.</summary>
    public static async Task<string> SampleAsync()
    {
        await Install.GetAsync();
        return Path.Combine(SampleFolder, "bootstrap");
    }

    /// <summary>A fresh folder holding <c>handlers.js</c> and a <c>bootstrap</c> that runs the client on <c>$_HANDLER</c>.</summary>
    public static async Task<ProbeFolder> ProbesAsync()
    {
        var client = await Install.GetAsync();
        var folder = Path.Combine(Path.GetTempPath(), "socketrelay-node-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "handlers.js"), Handlers);
        var bootstrap = Path.Combine(folder, "bootstrap");
        await File.WriteAllTextAsync(bootstrap, $"#!/bin/sh\nexec '{client}' \"$_HANDLER\"\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(bootstrap, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        return new ProbeFolder(folder, bootstrap);
    }

    /// <summary>The probe lines of <paramref name="name"/> in the function logs, parsed.</summary>
    public static IReadOnlyList<JsonElement> Probes(string functionLogs, string name) =>
        [.. functionLogs.Split('\n')
            .Where(l => l.StartsWith("{\"probe\":\"" + name + "\"", StringComparison.Ordinal))
            .Select(l => JsonDocument.Parse(l).RootElement.Clone())];

    private static async Task<string> InstallAsync()
    {
        var client = Path.Combine(SampleFolder, "node_modules", "aws-lambda-ric", "bin", "index.mjs");
        if (!File.Exists(Path.Combine(SampleFolder, "node_modules", "aws-lambda-ric", "dist", "rapid-client.node")))
        {
            // The client's native part is built from source (g++, make and cmake come with the machine image).
            await DebianPackages.EnsureAsync(("autoreconf", "autoconf"), ("automake", "automake"), ("libtoolize", "libtool"));
            var start = new ProcessStartInfo("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"])
            {
                WorkingDirectory = SampleFolder,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            start.Environment["NO_UPDATE_NOTIFIER"] = "1";
            using var npm = Process.Start(start)!;
            var stdout = npm.StandardOutput.ReadToEndAsync();
            var stderr = npm.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(25));
            await npm.WaitForExitAsync(timeout.Token);
            Assert.True(npm.ExitCode == 0, $"npm ci in samples/node-function exited {npm.ExitCode} (aws-lambda-ric builds with g++, cmake, make, autoconf, automake and libtool): {await stdout}{await stderr}");
        }

        return client;
    }

    internal sealed class ProbeFolder(string folder, string bootstrap) : IDisposable
    {
        public string Folder { get; } = folder;

        public string Bootstrap { get; } = bootstrap;

        public void Dispose() => Directory.Delete(Folder, recursive: true);
    }
}
