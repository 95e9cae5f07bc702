using System.Diagnostics;
using System.Globalization;
using System.Text;
using SocketRelay.LocalGateway.Hosting;
using SocketRelay.LocalGateway.Lambda;

namespace SocketRelay.Bench;

/// <summary>How to start the function: the Native AOT <c>bootstrap</c>, or <c>dotnet bootstrap.dll</c> on the JIT.</summary>
public sealed record FunctionCommand(string Name, string FileName, string Arguments);

/// <summary>Cold start (process start → first batch response posted to the Runtime API) and peak RSS of the function.</summary>
public static class FunctionBenchmarks
{
    private static readonly TimeSpan InvocationTimeout = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Starts the function <paramref name="starts"/> times, each against a fresh Runtime API holding one
    /// batch of 10 messages, and returns the time from <see cref="Process.Start()"/> to the moment the
    /// Runtime API received the batch response, in milliseconds.
    /// </summary>
    public static async Task<List<double>> ColdStartsAsync(FunctionCommand command, int starts, ConnectionsStub connections)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(connections);
        var samples = new List<double>(starts);
        for (var i = 0; i < starts; i++)
        {
            await using var runtime = await LocalRuntimeApi.StartAsync();
            var answer = runtime.InvokeAsync(SqsEvents.Batch(10), InvocationTimeout);
            var started = DateTimeOffset.UtcNow;
            using var process = StartFunction(command, runtime.Address, connections.Endpoint);
            var result = await answer;
            var elapsed = (result.AnsweredAt - started).TotalMilliseconds;
            await StopAsync(process);
            EnsureAllDelivered(command, result);
            samples.Add(elapsed);
        }

        return samples;
    }

    /// <summary>Runs <paramref name="batches"/> batches of 10 through one function process; returns its peak RSS (VmHWM) in MB and the elapsed time.</summary>
    public static async Task<(double PeakRssMb, TimeSpan Elapsed)> PeakRssAsync(FunctionCommand command, int batches, ConnectionsStub connections)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(connections);
        await using var runtime = await LocalRuntimeApi.StartAsync();
        using var process = StartFunction(command, runtime.Address, connections.Endpoint);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < batches; i++)
        {
            EnsureAllDelivered(command, await runtime.InvokeAsync(SqsEvents.Batch(10), InvocationTimeout));
        }

        clock.Stop();
        var peakKb = ReadStatusKb(process.Id, "VmHWM:");
        await StopAsync(process);
        return (peakKb / 1024.0, clock.Elapsed);
    }

    private static Process StartFunction(FunctionCommand command, string runtimeApi, string endpoint)
    {
        var start = new ProcessStartInfo(command.FileName, command.Arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["AWS_LAMBDA_RUNTIME_API"] = runtimeApi;
        start.Environment["WEBSOCKET_API_ENDPOINT"] = endpoint;
        start.Environment["AWS_REGION"] = "us-east-1";
        start.Environment["AWS_ACCESS_KEY_ID"] = "BENCH";
        start.Environment["AWS_SECRET_ACCESS_KEY"] = "bench-secret";
        start.Environment["AWS_LAMBDA_FUNCTION_NAME"] = "socketrelay-bench";
        start.Environment["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = "256";
        start.Environment.Remove(SocketCompletions.Variable); // the driver's own setting; Lambda does not set it
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {command.FileName}");

        // The function logs one JSON line per batch at Information (its default, as deployed): drain it.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task StopAsync(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync();
    }

    private static void EnsureAllDelivered(FunctionCommand command, InvocationResult result)
    {
        var payload = Encoding.UTF8.GetString(result.Payload);
        if (result.Outcome != InvocationOutcome.Response || !payload.Contains("\"batchItemFailures\":[]", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{command.Name}: the function answered {result.Outcome} {payload}");
        }
    }

    private static long ReadStatusKb(int pid, string field)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith(field, StringComparison.Ordinal));
        return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }
}
