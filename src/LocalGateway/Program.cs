using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using SocketRelay.Application.Configuration;
using SocketRelay.LocalGateway.Hosting;
using SocketRelay.LocalGateway.Lambda;
using SocketRelay.LocalGateway.Queue;

if (CommandLine.WantsHelp(args))
{
    Console.Write(CommandLine.Help());
    return 0;
}

// Every bad option and every start-up failure is one line on standard error (what, which option,
// what to do) and a non-zero exit code: 2 for options, 1 for a failed start.
var commandLineProblems = CommandLine.Problems(args).ToList();
if (commandLineProblems.Count > 0)
{
    foreach (var problem in commandLineProblems)
    {
        await Console.Error.WriteLineAsync(problem);
    }

    return 2;
}

IConfiguration configuration;
var appSettings = Path.Combine(AppContext.BaseDirectory, "appsettings.json");
try
{
    configuration = new ConfigurationBuilder()
        .AddJsonFile(appSettings, optional: true)
        .AddEnvironmentVariables()
        .AddCommandLine([.. CommandLine.ToConfigurationArguments(args)], CommandLine.SwitchMappings)
        .Build();
}
catch (Exception ex) when (ex is InvalidDataException or FormatException)
{
    await Console.Error.WriteLineAsync($"Invalid configuration: {OneLine(OptionOrigin.Unreadable(ex, OptionOrigin.AppSettingsSource(appSettings)))}");
    return 2;
}

// Every problem at once, so that one run lists all there is to fix: a value that could not be read leaves its
// default in place, which the checks below accept, so it is not reported twice.
var problems = new List<OptionProblem>(GatewayOptions.MisspeltSections(configuration));
var options = GatewayOptions.Load(configuration.GetSection(GatewayOptions.SectionName), problems);
problems.AddRange(options.Problems(Environment.GetEnvironmentVariable));
problems.AddRange(FunctionEnvironment.InheritedProblems(Environment.GetEnvironmentVariables().Keys.OfType<string>()));

if (problems.Count > 0)
{
    foreach (var problem in problems)
    {
        await Console.Error.WriteLineAsync($"Invalid option: {OptionOrigin.Describe((IConfigurationRoot)configuration, problem, Environment.GetEnvironmentVariables())}.");
    }

    return 2;
}

// Socket completions run on the socket engine's threads (one per core) instead of hopping to the thread
// pool first: ≈ 5 % less CPU per message near capacity, where a backlog then drains instead of growing
// (ADR-034). Safe because nothing that runs there waits on a slow device or reads a socket synchronously:
// the function's log lines go through a queue (QueuedLineWriter, below), and the gateway's own through the
// console logger's, which drops rather than waits. Not with --queue sqs: AWSSDK.SQS reads its responses
// synchronously, which on an engine thread waits for data only that thread can deliver (ADR-046). The
// runtime reads the variable when the first socket is created, which no line above does.
SocketCompletions.Configure(options);

// The function's log lines never wait for the terminal: a paused pager or an unread pipe stalls only the
// writer's thread, and lines beyond its queue are dropped and counted where they are missing, never waited for.
using var functionLogs = new QueuedLineWriter(Console.Out);
GatewayHost gateway;
try
{
    gateway = await GatewayHost.StartAsync(options, Environment.GetEnvironmentVariable, functionLogs, ConfigureGatewayLogging);
}
catch (InvalidOptionsException ex)
{
    // The in-process function's settings, checked as it starts: bad options too, named by where they were set.
    foreach (var problem in ex.Problems)
    {
        await Console.Error.WriteLineAsync($"Invalid option: {OptionOrigin.Describe((IConfigurationRoot)configuration, problem, Environment.GetEnvironmentVariables())}.");
    }

    return 2;
}
catch (Exception ex)
{
    var reason = ex is GatewayStartException or QueueStoreException ? ex.Message : $"{ex.GetType().Name}: {ex.Message}";
    await Console.Error.WriteLineAsync($"The local gateway could not start: {OneLine(reason)}");
    return 1;
}

await using (gateway)
{
    Console.Write(Banner.For(gateway));
    await gateway.Stopped;
}

return 0;

static void ConfigureGatewayLogging(ILoggingBuilder logging)
{
    logging
        .AddSimpleConsole(console =>
    {
        console.SingleLine = true;
        console.TimestampFormat = "HH:mm:ss ";
        console.ColorBehavior = LoggerColorBehavior.Disabled;
    })
        .SetMinimumLevel(LogLevel.Information)
        .AddFilter("Microsoft.AspNetCore", LogLevel.Warning)
        .AddFilter("Microsoft.Hosting", LogLevel.Warning);

    // With 2,500 lines waiting for an output nobody reads, the console logger drops lines and says how many on
    // standard error, instead of making the code that logs wait.
    logging.Services.Configure<ConsoleLoggerOptions>(console => console.QueueFullMode = ConsoleLoggerQueueFullMode.DropWrite);
}

static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
