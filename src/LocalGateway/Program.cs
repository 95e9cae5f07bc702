using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using SocketRelay.LocalGateway.Hosting;
using SocketRelay.LocalGateway.Queue;

if (CommandLine.WantsHelp(args))
{
    Console.Write(CommandLine.Help());
    return 0;
}

var unknown = CommandLine.Unknown(args).ToList();
if (unknown.Count > 0)
{
    await Console.Error.WriteLineAsync($"Unknown option(s): {string.Join(' ', unknown)}{Environment.NewLine}");
    await Console.Error.WriteAsync(CommandLine.Help());
    return 2;
}

var configuration = new ConfigurationBuilder()
    .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
    .AddEnvironmentVariables()
    .AddCommandLine(args, CommandLine.SwitchMappings)
    .Build();
var options = new GatewayOptions();
configuration.GetSection(GatewayOptions.SectionName).Bind(options);

GatewayHost gateway;
try
{
    gateway = await GatewayHost.StartAsync(options, Environment.GetEnvironmentVariable, Console.Out, ConfigureGatewayLogging);
}
catch (ArgumentException ex)
{
    await Console.Error.WriteLineAsync($"Invalid options:{Environment.NewLine}{ex.Message.Split(" (Parameter")[0]}");
    return 2;
}
catch (Exception ex) when (ex is QueueStoreException or IOException or InvalidOperationException or FileNotFoundException)
{
    await Console.Error.WriteLineAsync($"The local gateway could not start: {ex.Message}");
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
