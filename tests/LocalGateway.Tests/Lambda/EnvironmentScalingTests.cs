using Microsoft.Extensions.Logging.Abstractions;
using SocketRelay.Infrastructure.LambdaRuntime;
using SocketRelay.LocalGateway.Lambda;
using SocketRelay.TestSupport;

namespace SocketRelay.LocalGateway.Tests.Lambda;

/// <summary>
/// Execution environments start as Lambda starts them: the first at once, each of the others when an event finds
/// every started one busy, up to one per Runtime API port (<c>--pollers</c>), so an idle gateway runs one.
/// </summary>
public sealed class EnvironmentScalingTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "socketrelay-scaling-" + Guid.NewGuid().ToString("N"));

    public EnvironmentScalingTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task An_event_asks_for_another_environment_only_when_none_is_waiting_for_one()
    {
        await using var api = await LocalRuntimeApi.StartAsync(environments: 2);
        var wanted = 0;
        api.EnvironmentWanted += _ => Interlocked.Increment(ref wanted);
        using var runtime = new RuntimeApiClient(api.AddressOf(0));

        var first = api.InvokeAsync("{}"u8.ToArray(), TimeSpan.FromSeconds(5));
        Assert.Equal(1, Volatile.Read(ref wanted));
        var invocation = await runtime.GetNextInvocationAsync(CancellationToken.None);
        await runtime.PostResponseAsync(invocation.RequestId, [], CancellationToken.None);
        await first;

        var next = runtime.GetNextInvocationAsync(CancellationToken.None);
        await Eventually.TrueAsync(() => api.WaitingEnvironments == 1, TimeSpan.FromSeconds(10));
        var second = api.InvokeAsync("{}"u8.ToArray(), TimeSpan.FromSeconds(5));
        await runtime.PostResponseAsync((await next).RequestId, [], CancellationToken.None);
        await second;

        Assert.Equal(1, Volatile.Read(ref wanted));
        Assert.Equal(0, api.WaitingEnvironments);
    }

    [Fact]
    public async Task Events_queued_together_ask_for_one_environment_each_beyond_the_ones_waiting()
    {
        await using var api = await LocalRuntimeApi.StartAsync(environments: 4);
        var wanted = 0;
        api.EnvironmentWanted += _ => Interlocked.Increment(ref wanted);
        using var runtime = new RuntimeApiClient(api.AddressOf(0));
        using var abandon = new CancellationTokenSource();
        var next = runtime.GetNextInvocationAsync(abandon.Token);
        await Eventually.TrueAsync(() => api.WaitingEnvironments == 1, TimeSpan.FromSeconds(10));

        // Queued in one go: the waiting environment takes one, and each of the other three finds none free.
        var invocations = Enumerable.Range(0, 4).Select(_ => api.InvokeAsync("{}"u8.ToArray(), TimeSpan.FromSeconds(30), cancellationToken: abandon.Token)).ToList();

        Assert.Equal(3, Volatile.Read(ref wanted));
        await next;
        await AbandonAsync(abandon, invocations);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Stopping_the_host_kills_a_function_process_that_would_outlive_its_runtime_api()
    {
        var pidFile = Path.Combine(_folder, "pid");
        var bootstrap = await WriteBootstrapAsync($"echo $$ > '{pidFile}'");
        await using var api = await LocalRuntimeApi.StartAsync(environments: 1);

        await using (StartHost(bootstrap, api))
        {
            // A child process starts slowly on a loaded machine: 30 s.
            await Eventually.TrueAsync(() => File.Exists(pidFile) && File.ReadAllText(pidFile).Trim().Length > 0, TimeSpan.FromSeconds(30));
        }

        var pid = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        await Eventually.TrueAsync(() => !IsRunning(pid), TimeSpan.FromSeconds(10));

        static bool IsRunning(int pid)
        {
            try
            {
                using var process = System.Diagnostics.Process.GetProcessById(pid);
                return !process.HasExited;
            }
            catch (ArgumentException)
            {
                return false;
            }
        }
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Function_processes_start_one_at_first_then_one_per_event_that_finds_them_all_busy_up_to_the_ports()
    {
        // A runtime that never asks for an event: every event finds the started environments busy.
        var started = Path.Combine(_folder, "started");
        var bootstrap = await WriteBootstrapAsync($"echo \"$AWS_LAMBDA_RUNTIME_API\" >> '{started}'");
        await using var api = await LocalRuntimeApi.StartAsync(environments: 3);
        using var abandon = new CancellationTokenSource();
        var invocations = new List<Task>();

        await using (StartHost(bootstrap, api))
        {
            // A child process starts slowly on a loaded machine: 30 s.
            await Eventually.TrueAsync(() => Started().Count == 1, TimeSpan.FromSeconds(30));
            Assert.Equal(1, api.StartedEnvironments);

            for (var expected = 2; expected <= 3; expected++)
            {
                invocations.Add(api.InvokeAsync("{}"u8.ToArray(), TimeSpan.FromSeconds(30), cancellationToken: abandon.Token));
                await Eventually.TrueAsync(() => Started().Count == expected, TimeSpan.FromSeconds(30));
            }

            invocations.Add(api.InvokeAsync("{}"u8.ToArray(), TimeSpan.FromSeconds(30), cancellationToken: abandon.Token));
            Assert.Equal(3, api.StartedEnvironments);
            Assert.Equal(api.Addresses.Order(), Started().Order());
            await AbandonAsync(abandon, invocations);
        }

        List<string> Started() => File.Exists(started) ? [.. File.ReadAllLines(started).Where(line => line.Length > 0)] : [];
    }

    [Fact]
    public async Task In_process_the_first_environment_polls_and_the_others_wait_for_demand()
    {
        await using var api = await LocalRuntimeApi.StartAsync(environments: 3);
        var environment = new Dictionary<string, string?>
        {
            ["WEBSOCKET_API_ENDPOINT"] = "http://127.0.0.1:9/local",
            ["AWS_REGION"] = "us-east-1",
            ["AWS_ACCESS_KEY_ID"] = "AKIDEXAMPLE",
            ["AWS_SECRET_ACCESS_KEY"] = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            ["AWS_LAMBDA_FUNCTION_NAME"] = "socketrelay",
            ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = "256",
        };

        await using var host = InProcessFunctionHost.Start(api, environment, TextWriter.Null);

        await Eventually.TrueAsync(() => api.WaitingEnvironments == 1, TimeSpan.FromSeconds(10));
        Assert.Equal(1, api.StartedEnvironments);
        var empty = await api.InvokeAsync("{\"Records\":[]}"u8.ToArray(), TimeSpan.FromSeconds(10));
        Assert.Equal(InvocationOutcome.Response, empty.Outcome);
        Assert.Equal(1, api.StartedEnvironments);
    }

    /// <summary>An executable <c>bootstrap</c> that runs <paramref name="firstLine"/>, then sleeps without ever asking for an event.</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private async Task<string> WriteBootstrapAsync(string firstLine)
    {
        var bootstrap = Path.Combine(_folder, "bootstrap");
        await File.WriteAllTextAsync(bootstrap, $"#!/bin/sh\n{firstLine}\nexec sleep 60\n");
        File.SetUnixFileMode(bootstrap, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return bootstrap;
    }

    private static ChildProcessFunctionHost StartHost(string bootstrap, LocalRuntimeApi api) =>
        ChildProcessFunctionHost.Start(bootstrap, api, new Dictionary<string, string?>(), TextWriter.Null, NullLogger.Instance);

    /// <summary>Cancels invocations no runtime will answer, and holds that each ended cancelled.</summary>
    private static async Task AbandonAsync(CancellationTokenSource abandon, IEnumerable<Task> invocations)
    {
        await abandon.CancelAsync();
        foreach (var invocation in invocations)
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => invocation);
        }
    }
}
