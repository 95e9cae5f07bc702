using Microsoft.Extensions.Logging;
using SocketRelay.Infrastructure.Logging;
using SocketRelay.Infrastructure.Metrics;
using SocketRelay.Infrastructure.Sqs;

namespace SocketRelay.Infrastructure.LambdaRuntime;

/// <summary>
/// The custom runtime's loop: take the next event, run the function, post its response. An event
/// that cannot be processed is posted as an invocation error and the loop goes on; a Runtime API
/// that stops answering ends the loop with its exception, and Lambda replaces the process. The
/// invocation's metrics are flushed when the function returns or throws, before anything is posted.
/// </summary>
public sealed partial class LambdaRuntimeLoop(
    RuntimeApiClient runtime,
    SqsBatchFunction function,
    LambdaLogContext logContext,
    ILogger<LambdaRuntimeLoop> logger,
    EmbeddedMetricsExporter metrics)
{
    public const string TraceIdEnvironmentVariable = "_X_AMZN_TRACE_ID";

    /// <summary>Runs until <paramref name="stoppingToken"/> is cancelled (returns) or the Runtime API fails (throws).</summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            Invocation invocation;
            try
            {
                invocation = await runtime.GetNextInvocationAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }

            await HandleAsync(invocation, stoppingToken);
        }
    }

    private async Task HandleAsync(Invocation invocation, CancellationToken stoppingToken)
    {
        Environment.SetEnvironmentVariable(TraceIdEnvironmentVariable, invocation.TraceId);
        logContext.BeginInvocation(invocation.RequestId, invocation.FunctionArn, invocation.TraceId);
        try
        {
            await RunFunctionAsync(invocation, stoppingToken);
        }
        finally
        {
            logContext.EndInvocation();
        }
    }

    private async Task RunFunctionAsync(Invocation invocation, CancellationToken stoppingToken)
    {
        byte[] response;
        try
        {
            response = await InvokeAsync(invocation, stoppingToken);
        }
        catch (MalformedEventException ex)
        {
            LogMalformedEvent(ex.Message);
            await runtime.PostInvocationErrorAsync(invocation.RequestId, RuntimeError.From(ex, "SocketRelay.MalformedEvent"), CancellationToken.None);
            return;
        }
#pragma warning disable CA1031 // Whatever fails one invocation is reported to Lambda; the process serves the next one.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogInvocationFailed(ex);
            await runtime.PostInvocationErrorAsync(invocation.RequestId, RuntimeError.From(ex, "Runtime.Unhandled"), CancellationToken.None);
            return;
        }

        await runtime.PostResponseAsync(invocation.RequestId, response, CancellationToken.None);
    }

    private async Task<byte[]> InvokeAsync(Invocation invocation, CancellationToken stoppingToken)
    {
        try
        {
            return await function.HandleAsync(invocation.Payload, invocation.Deadline, stoppingToken);
        }
        finally
        {
            metrics.Flush();
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Event rejected and reported as an invocation error: {reason}")]
    private partial void LogMalformedEvent(string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Invocation failed and reported as an invocation error")]
    private partial void LogInvocationFailed(Exception exception);
}
