using Microsoft.Extensions.Logging;
using SocketRelay.Infrastructure.Logging;

namespace SocketRelay.Infrastructure.LambdaRuntime;

/// <summary>
/// The custom runtime's loop, independent of the event type: take the next event, hand it to the
/// <see cref="InvocationHandler"/>, post its response. A handler that throws has its invocation posted
/// as an error (<see cref="InvocationErrorException.ErrorType"/>, or <c>Runtime.Unhandled</c>) and the
/// loop goes on; a Runtime API that stops answering ends the loop with its exception, and Lambda
/// replaces the process. Each invocation runs with the X-Ray trace id in <c>_X_AMZN_TRACE_ID</c> and
/// its ids in the <see cref="LambdaLogContext"/>.
/// </summary>
public sealed partial class LambdaRuntimeLoop(
    RuntimeApiClient runtime,
    InvocationHandler handler,
    LambdaLogContext logContext,
    ILogger<LambdaRuntimeLoop> logger)
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
            response = await handler(invocation, stoppingToken);
        }
        catch (InvocationErrorException ex)
        {
            LogInvocationRejected(ex.ErrorType, ex.Message);
            await runtime.PostInvocationErrorAsync(invocation.RequestId, RuntimeError.From(ex, ex.ErrorType), CancellationToken.None);
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

    [LoggerMessage(Level = LogLevel.Error, Message = "Event rejected and reported as an invocation error ({error_type}): {reason}")]
    private partial void LogInvocationRejected(string error_type, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Invocation failed and reported as an invocation error")]
    private partial void LogInvocationFailed(Exception exception);
}
