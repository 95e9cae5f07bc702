using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using SocketRelay.Infrastructure.LambdaRuntime;
using SocketRelay.LocalGateway.Lambda;
using SocketRelay.LocalGateway.Tests.ApiGateway;

namespace SocketRelay.LocalGateway.Tests.Lambda;

/// <summary>The local Runtime API as Lambda serves it, with the test playing the runtime over real HTTP.</summary>
public sealed partial class LocalRuntimeApiTests : IAsyncLifetime, IDisposable
{
    private readonly RecordingLoggerProvider _gatewayLog = new();
    private readonly LoggerFactory _loggerFactory;
    private readonly HttpClient _http = new();
    private LocalRuntimeApi _api = null!;
    private RuntimeApiClient _runtime = null!;

    public LocalRuntimeApiTests() => _loggerFactory = new LoggerFactory([_gatewayLog]);

    public async Task InitializeAsync()
    {
        _api = await LocalRuntimeApi.StartAsync(environments: 2, logger: _loggerFactory.CreateLogger<LocalRuntimeApi>());
        _runtime = new RuntimeApiClient(_api.AddressOf(0));
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    public void Dispose()
    {
        _runtime.Dispose();
        _http.Dispose();
        _loggerFactory.Dispose();
    }

    [Fact]
    public async Task An_environments_output_belongs_to_the_event_handed_out_last_unless_it_names_the_one_before()
    {
        Assert.Null(_api.InvocationOfOutput(0, "init: loading handler")); // before any event: initialisation

        var first = _api.InvokeAsync("{}"u8.ToArray(), TimeSpan.FromSeconds(5));
        var a = await _runtime.GetNextInvocationAsync(CancellationToken.None);
        Assert.Equal(a.RequestId, _api.InvocationOfOutput(0, "plain text, no request id"));
        await _runtime.PostResponseAsync(a.RequestId, [], CancellationToken.None);
        Assert.Equal(a.RequestId, _api.InvocationOfOutput(0, "written after the response, before the next event"));

        var second = _api.InvokeAsync("{}"u8.ToArray(), TimeSpan.FromSeconds(5));
        var b = await _runtime.GetNextInvocationAsync(CancellationToken.None);
        Assert.Equal(b.RequestId, _api.InvocationOfOutput(0, "plain text"));
        // A line of the first invocation read only now: AWS's runtime clients put the request id in each line.
        Assert.Equal(a.RequestId, _api.InvocationOfOutput(0, $"2026-12-03T00:00:00.000Z\t{a.RequestId}\tINFO\tlate line"));
        Assert.Null(_api.InvocationOfOutput(1, "another environment's line")); // environment 2 has had no event

        _api.EnvironmentStarting(0); // a fresh process: its output before its first event belongs to nothing
        Assert.Null(_api.InvocationOfOutput(0, "init of the new process"));
        await _runtime.PostResponseAsync(b.RequestId, [], CancellationToken.None);
        await Task.WhenAll(first, second);
    }

    [Fact]
    public async Task Request_ids_are_uuids_and_the_trace_header_is_x_rays_with_a_root_of_this_second()
    {
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var first = _api.InvokeAsync("{}"u8.ToArray(), TimeSpan.FromSeconds(5));
        var second = _api.InvokeAsync("{}"u8.ToArray(), TimeSpan.FromSeconds(5));

        var a = await _runtime.GetNextInvocationAsync(CancellationToken.None);
        await _runtime.PostResponseAsync(a.RequestId, [], CancellationToken.None);
        var b = await _runtime.GetNextInvocationAsync(CancellationToken.None);
        await _runtime.PostResponseAsync(b.RequestId, [], CancellationToken.None);
        await Task.WhenAll(first, second);

        foreach (var invocation in (Invocation[])[a, b])
        {
            Assert.True(Guid.TryParseExact(invocation.RequestId, "D", out _), invocation.RequestId);
            var trace = TraceHeader().Match(invocation.TraceId!);
            Assert.True(trace.Success, invocation.TraceId);
            var epoch = Convert.ToInt64(trace.Groups["epoch"].Value, 16);
            Assert.InRange(epoch, before - 1, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1);
        }

        Assert.NotEqual(a.RequestId, b.RequestId);
        Assert.NotEqual(a.TraceId, b.TraceId);
    }

    [Fact]
    public async Task The_next_event_is_sent_with_its_content_length_not_chunked()
    {
        var payload = "{\"Records\":[{\"body\":\"x\"}]}"u8.ToArray();
        var invoked = _api.InvokeAsync(payload, TimeSpan.FromSeconds(5));

        using var next = await _http.GetAsync(new Uri($"http://{_api.AddressOf(0)}{RuntimeApiContract.NextInvocationPath}"));

        Assert.Equal(payload.Length, next.Content.Headers.ContentLength);
        Assert.NotEqual(true, next.Headers.TransferEncodingChunked);
        Assert.Equal(payload, await next.Content.ReadAsByteArrayAsync());
        var requestId = next.Headers.GetValues(RuntimeApiContract.RequestIdHeader).Single();
        using var answered = await _http.PostAsync(new Uri($"http://{_api.AddressOf(0)}{RuntimeApiContract.InvocationResponsePath(requestId)}"), new ByteArrayContent([]));
        Assert.Equal(InvocationOutcome.Response, (await invoked).Outcome);
    }

    [Fact]
    public async Task The_deadline_is_counted_from_hand_out_while_the_only_environment_is_busy()
    {
        var timeout = TimeSpan.FromSeconds(3);
        var busy = _api.InvokeAsync("{}"u8.ToArray(), timeout);
        var first = await _runtime.GetNextInvocationAsync(CancellationToken.None);
        var waiting = _api.InvokeAsync("{}"u8.ToArray(), timeout);

        await Task.Delay(TimeSpan.FromSeconds(2)); // the environment is busy; the second event waits
        await _runtime.PostResponseAsync(first.RequestId, [], CancellationToken.None);
        var handedOutAt = DateTimeOffset.UtcNow;
        var second = await _runtime.GetNextInvocationAsync(CancellationToken.None);
        await _runtime.PostResponseAsync(second.RequestId, [], CancellationToken.None);

        Assert.Equal(InvocationOutcome.Response, (await busy).Outcome);
        Assert.Equal(InvocationOutcome.Response, (await waiting).Outcome);
        // Queued-time + timeout would be ≥ 2 s earlier than this.
        Assert.True(second.Deadline >= handedOutAt + timeout - TimeSpan.FromMilliseconds(500), $"deadline {second.Deadline:O}, handed out {handedOutAt:O}");
    }

    [Fact]
    public async Task At_the_deadline_the_invocation_times_out_the_environment_is_stopped_and_a_late_response_is_refused()
    {
        var stopped = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        _api.EnvironmentTimedOut += environment => stopped.TrySetResult(environment);
        var second = new RuntimeApiClient(_api.AddressOf(1));
        using var _ = second;
        var answer = _api.InvokeAsync("{}"u8.ToArray(), TimeSpan.FromSeconds(1));
        var invocation = await second.GetNextInvocationAsync(CancellationToken.None);

        var result = await answer.WaitAsync(TimeSpan.FromSeconds(10));
        using var late = await _http.PostAsync(
            new Uri($"http://{_api.AddressOf(1)}{RuntimeApiContract.InvocationResponsePath(invocation.RequestId)}"), new StringContent("{}", Encoding.UTF8, "application/json"));

        Assert.Equal(InvocationOutcome.TimedOut, result.Outcome);
        Assert.Equal(1, await stopped.Task.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(HttpStatusCode.Gone, late.StatusCode);
        using var error = JsonDocument.Parse(await late.Content.ReadAsStringAsync());
        Assert.Equal(LocalRuntimeApi.TimedOutErrorType, error.RootElement.GetProperty("errorType").GetString());
        Assert.Contains(_gatewayLog.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains(invocation.RequestId, StringComparison.Ordinal) && e.Message.Contains("timed out", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_invocation_error_fails_the_invocation_at_once_with_its_type_and_message_in_the_gateway_output()
    {
        var answer = _api.InvokeAsync("{}"u8.ToArray(), TimeSpan.FromSeconds(30));
        var invocation = await _runtime.GetNextInvocationAsync(CancellationToken.None);

        await _runtime.PostInvocationErrorAsync(invocation.RequestId, new RuntimeError { ErrorType = "OrdersError", ErrorMessage = "table orders is missing" }, CancellationToken.None);

        var result = await answer.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(InvocationOutcome.Error, result.Outcome);
        Assert.Equal("OrdersError", result.ErrorType);
        Assert.Equal("table orders is missing", result.ErrorMessage);
        Assert.Contains(_gatewayLog.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("OrdersError: table orders is missing", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_init_error_fails_the_waiting_event_at_once_with_its_type_and_message_in_the_gateway_output()
    {
        var answer = _api.InvokeAsync("{}"u8.ToArray(), TimeSpan.FromSeconds(30));

        await _runtime.PostInitErrorAsync(new RuntimeError { ErrorType = "Runtime.ImportModuleError", ErrorMessage = "Cannot find module 'index'" }, CancellationToken.None);

        var result = await answer.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(InvocationOutcome.Error, result.Outcome);
        Assert.Equal("Runtime.ImportModuleError", result.ErrorType);
        Assert.Contains(_gatewayLog.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("Runtime.ImportModuleError: Cannot find module 'index'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_runtime_that_exits_mid_invocation_fails_it_at_once_with_runtime_exit_error()
    {
        var answer = _api.InvokeAsync("{}"u8.ToArray(), TimeSpan.FromSeconds(30));
        var invocation = await _runtime.GetNextInvocationAsync(CancellationToken.None);

        var initialized = _api.EnvironmentExited(0, exitCode: 137);

        var result = await answer.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(initialized);
        Assert.Equal(InvocationOutcome.Error, result.Outcome);
        Assert.Equal("Runtime.ExitError", result.ErrorType);
        Assert.Equal($"RequestId: {invocation.RequestId} Error: Runtime exited with error: exit status 137", result.ErrorMessage);
    }

    [Fact]
    public void A_runtime_that_keeps_failing_to_start_is_restarted_after_a_doubling_pause_capped_at_thirty_seconds()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(500), ChildProcessFunctionHost.RestartPause(1));
        Assert.Equal(TimeSpan.FromSeconds(1), ChildProcessFunctionHost.RestartPause(2));
        Assert.Equal(TimeSpan.FromSeconds(2), ChildProcessFunctionHost.RestartPause(3));
        Assert.Equal(TimeSpan.FromSeconds(30), ChildProcessFunctionHost.RestartPause(8));
        Assert.Equal(TimeSpan.FromSeconds(30), ChildProcessFunctionHost.RestartPause(1000));
    }

    [GeneratedRegex("^Root=1-(?<epoch>[0-9a-f]{8})-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=[01]$")]
    private static partial Regex TraceHeader();
}
