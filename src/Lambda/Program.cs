using System.Runtime.InteropServices;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SocketRelay.Infrastructure;
using SocketRelay.Infrastructure.LambdaRuntime;
using SocketRelay.Infrastructure.Logging;

// The provided.al2023 custom runtime: compose once per process, then serve invocations until stopped.
var runtimeApi = Environment.GetEnvironmentVariable("AWS_LAMBDA_RUNTIME_API");
if (string.IsNullOrWhiteSpace(runtimeApi))
{
    await Console.Error.WriteLineAsync("bootstrap: AWS_LAMBDA_RUNTIME_API is not set; run this inside AWS Lambda or under the SocketRelay local gateway.");
    return 2;
}

// The function itself is composed by FunctionComposition.AddFunction, the same call the local
// gateway makes; reply logic is registered in src/Infrastructure/ReplyLogic.cs, not here.
using var runtime = new RuntimeApiClient(runtimeApi);
var services = new ServiceCollection().AddLambdaRuntime(runtime, new LambdaLogContext(Environment.GetEnvironmentVariable), Console.Out, Environment.GetEnvironmentVariable);
ServiceProvider provider;
try
{
    provider = services.AddFunction(new ConfigurationBuilder().AddEnvironmentVariables().Build()).BuildServiceProvider();
    provider.GetRequiredService<LambdaRuntimeLoop>(); // resolve the whole graph now, so a bad registration is an init error
}
#pragma warning disable CA1031 // Any start-up failure is reported to Lambda as an init error.
catch (Exception ex)
#pragma warning restore CA1031
{
    await using (var logging = services.BuildServiceProvider())
    {
        logging.GetRequiredService<ILoggerFactory>().CreateLogger("SocketRelay.Lambda").LogCritical(ex, "Function failed to start");
    }

    await runtime.PostInitErrorAsync(RuntimeError.From(ex, "Runtime.InitError"), CancellationToken.None);
    return 1;
}

await using (provider)
{
    using var stopping = new CancellationTokenSource();
    using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
    {
        signal.Cancel = true;
        stopping.Cancel();
    });

    try
    {
        await provider.GetRequiredService<LambdaRuntimeLoop>().RunAsync(stopping.Token);
        return 0;
    }
#pragma warning disable CA1031 // The Runtime API is gone: log it and exit so Lambda replaces the process.
    catch (Exception ex)
#pragma warning restore CA1031
    {
        provider.GetRequiredService<ILoggerFactory>().CreateLogger("SocketRelay.Lambda").LogCritical(ex, "Runtime API failed; exiting so Lambda replaces this process");
        return 1;
    }
}
