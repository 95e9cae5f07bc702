using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using SocketRelay.Application.Configuration;
using SocketRelay.LocalGateway.Hosting;
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
try
{
    configuration = new ConfigurationBuilder()
        .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
        .AddEnvironmentVariables()
        .AddCommandLine([.. CommandLine.ToConfigurationArguments(args)], CommandLine.SwitchMappings)
        .Build();
}
catch (Exception ex) when (ex is InvalidDataException or FormatException)
{
    await Console.Error.WriteLineAsync($"Invalid configuration: {OneLine(ex.Message)}");
    return 2;
}

var problems = new List<OptionProblem>();
var options = GatewayOptions.Load(configuration.GetSection(GatewayOptions.SectionName), problems);
if (problems.Count == 0)
{
    problems.AddRange(options.Problems(Environment.GetEnvironmentVariable));
}

if (problems.Count > 0)
{
    foreach (var problem in problems)
    {
        await Console.Error.WriteLineAsync($"Invalid option: {OptionOrigin.Describe((IConfigurationRoot)configuration, problem, Environment.GetEnvironmentVariables())}.");
    }

    return 2;
}

GatewayHost gateway;
try
{
    gateway = await GatewayHost.StartAsync(options, Environment.GetEnvironmentVariable, Console.Out, ConfigureGatewayLogging);
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

static void ConfigureGatewayLogging(ILoggingBuilder logging) => logging
    .AddSimpleConsole(console =>
    {
        console.SingleLine = true;
        console.TimestampFormat = "HH:mm:ss ";
        console.ColorBehavior = LoggerColorBehavior.Disabled;
    })
    .SetMinimumLevel(LogLevel.Information)
    .AddFilter("Microsoft.AspNetCore", LogLevel.Warning)
    .AddFilter("Microsoft.Hosting", LogLevel.Warning);

static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
