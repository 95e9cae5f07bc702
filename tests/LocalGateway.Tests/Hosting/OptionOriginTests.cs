using Microsoft.Extensions.Configuration;
using SocketRelay.LocalGateway.Hosting;

namespace SocketRelay.LocalGateway.Tests.Hosting;

/// <summary>
/// An option problem tells its user where the bad value was set, so that they change the right place:
/// the command line (the switch is the name), or <c>appsettings.json</c>.
/// </summary>
public sealed class OptionOriginTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("socketrelay-origin-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void A_value_from_appsettings_json_is_named_there_and_one_from_the_command_line_adds_nothing()
    {
        var file = Path.Combine(_directory, "appsettings.json");
        File.WriteAllText(file, """{ "Gateway": { "SqsQueueUrl": "https://sqs.us-east-1.amazonaws.com/1/q.fifo", "Prot": 9000, "Port": 1 } }""");
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(file)
            .AddCommandLine(["--port", "70000"], CommandLine.SwitchMappings)
            .Build();

        Assert.Equal(" (set in appsettings.json as \"SqsQueueUrl\" in section \"Gateway\")", OptionOrigin.Describe(configuration, "--sqs-queue-url"));
        Assert.Equal(" (set in appsettings.json as \"Prot\" in section \"Gateway\")", OptionOrigin.Describe(configuration, "Gateway__Prot"));

        // The command line wins over the file, and names its own switch already.
        Assert.Equal("", OptionOrigin.Describe(configuration, "--port"));

        // Not set anywhere (a default), or no setting of its own: nothing to add.
        Assert.Equal("", OptionOrigin.Describe(configuration, "--pollers"));
        Assert.Equal("", OptionOrigin.Describe(configuration, "--function-env"));
    }
}
