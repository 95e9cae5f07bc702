using System.Collections;
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

    // appsettings.json holding json, read as the gateway reads it: each problem of GatewayOptions.Load as its user sees it.
    private List<string> LoadProblemsAsDescribed(string json)
    {
        var file = Path.Combine(_directory, "appsettings.json");
        File.WriteAllText(file, json);
        var configuration = new ConfigurationBuilder().AddJsonFile(file).Build();
        var problems = new List<Application.Configuration.OptionProblem>();
        GatewayOptions.Load(configuration.GetSection(GatewayOptions.SectionName), problems);
        return [.. problems.Select(problem => OptionOrigin.Describe(configuration, problem, new Hashtable()))];
    }

    [Fact]
    public void A_value_from_appsettings_json_is_named_there_and_one_from_the_command_line_is_left_as_it_is()
    {
        var file = Path.Combine(_directory, "appsettings.json");
        File.WriteAllText(file, """{ "Gateway": { "SqsQueueUrl": "https://sqs.us-east-1.amazonaws.com/1/q.fifo", "Prot": 9000, "Port": 1 } }""");
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(file)
            .AddCommandLine(["--port", "70000"], CommandLine.SwitchMappings)
            .Build();
        var noVariables = new Hashtable();

        Assert.Equal(
            "--sqs-queue-url applies only with --queue sqs (set in appsettings.json as \"SqsQueueUrl\" in section \"Gateway\")",
            OptionOrigin.Describe(configuration, new("--sqs-queue-url", "applies only with --queue sqs"), noVariables));
        Assert.Equal(
            "\"Prot\" in appsettings.json (section \"Gateway\") is not a setting of the gateway",
            OptionOrigin.Describe(configuration, new("Gateway__Prot", "is not a setting of the gateway"), noVariables));

        // The command line wins over the file, and names its own switch already; so does a default, set nowhere.
        Assert.Equal("--port must be 0–65535", OptionOrigin.Describe(configuration, new("--port", "must be 0–65535"), noVariables));
        Assert.Equal("--pollers must be 1–64", OptionOrigin.Describe(configuration, new("--pollers", "must be 1–64"), noVariables));
    }

    [Fact]
    public void A_mistyped_key_in_appsettings_json_is_answered_with_the_key_as_the_file_spells_it()
    {
        Assert.Equal(
            "\"Prot\" in appsettings.json (section \"Gateway\") is not a setting of the gateway: did you mean Port? Run with --help for each option's variable",
            Assert.Single(LoadProblemsAsDescribed("""{ "Gateway": { "Prot": 9000 } }""")));
    }

    [Fact]
    public void A_list_in_appsettings_json_for_an_option_of_one_value_is_refused_once_saying_how_to_write_it()
    {
        Assert.Equal(
            [
                "\"FaultStatus:0\" in appsettings.json (section \"Gateway\") is an element of a list, but FaultStatus takes one value: write the codes in one string, separated by commas, e.g. \"429,503\"",
                "\"Pollers:0\" in appsettings.json (section \"Gateway\") is an element of a list, but Pollers takes one value",
            ],
            LoadProblemsAsDescribed("""{ "Gateway": { "FaultStatus": [429, 503], "Pollers": [2] } }""").Order());
    }

    [Fact]
    public void A_setting_with_no_value_in_appsettings_json_is_refused_instead_of_leaving_its_default_in_force()
    {
        Assert.Equal(
            [
                "--pollers has no value (null, or an empty object or list): give it one, or leave the setting out for its default (set in appsettings.json as \"Pollers\" in section \"Gateway\")",
                "--port has no value (null, or an empty object or list): give it one, or leave the setting out for its default (set in appsettings.json as \"Port\" in section \"Gateway\")",
            ],
            LoadProblemsAsDescribed("""{ "Gateway": { "Port": null, "Pollers": {}, "FunctionEnvironment": {}, "Host": "127.0.0.1" } }""").Order());
    }

    [Fact]
    public void A_broken_appsettings_json_is_reported_with_the_readers_reason_and_position()
    {
        var file = Path.Combine(_directory, "appsettings.json");
        File.WriteAllText(file, "{\n  \"Gateway\": { \"Port\": 9000 }\n}}");

        var error = Assert.Throws<InvalidDataException>(() => new ConfigurationBuilder().AddJsonFile(file).Build());
        var text = OptionOrigin.Unreadable(error);

        Assert.StartsWith($"Failed to load configuration from file '{file}'.", text, StringComparison.Ordinal);
        Assert.EndsWith("That is line 3, byte 2 of the line.", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_broken_build_copy_of_the_projects_appsettings_json_names_the_project_file_to_correct()
    {
        var repository = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(repository, "Solution.sln")))
        {
            repository = Path.GetDirectoryName(repository.TrimEnd(Path.DirectorySeparatorChar))!;
        }

        var source = Path.Combine(repository, "src", "LocalGateway", "appsettings.json");
        var copy = Path.Combine(_directory, "appsettings.json");
        File.Copy(source, copy);

        // What dotnet run starts with: the build's copy, the same bytes as the project's file.
        Assert.Equal(source, OptionOrigin.AppSettingsSource(copy));
        var error = new InvalidDataException($"Failed to load configuration from file '{copy}'.");
        Assert.Equal(
            $"Failed to load configuration from file '{copy}'. The file is the build's copy of {source}: correct that one.",
            OptionOrigin.Unreadable(error, OptionOrigin.AppSettingsSource(copy)));

        // A copy edited in place, or none at all, is the file to correct itself.
        File.AppendAllText(copy, " ");
        Assert.Null(OptionOrigin.AppSettingsSource(copy));
        Assert.Null(OptionOrigin.AppSettingsSource(Path.Combine(_directory, "missing.json")));
        Assert.Equal($"Failed to load configuration from file '{copy}'.", OptionOrigin.Unreadable(error, null));
    }

    [Fact]
    public void A_reserved_or_malformed_function_variable_set_in_appsettings_json_is_named_there()
    {
        var file = Path.Combine(_directory, "appsettings.json");
        File.WriteAllText(file, """{ "Gateway": { "FunctionEnvironment": { "AWS_REGION": "x", "1BAD": "y" } } }""");
        var configuration = new ConfigurationBuilder().AddJsonFile(file).Build();
        var problems = new List<Application.Configuration.OptionProblem>();
        var options = GatewayOptions.Load(configuration.GetSection(GatewayOptions.SectionName), problems);
        Assert.Empty(problems);

        var described = options.Problems().Select(p => OptionOrigin.Describe(configuration, p, new Hashtable())).ToList();

        Assert.Contains("--function-env AWS_REGION is reserved: Lambda sets it and refuses it in a function's configuration (set in appsettings.json as \"FunctionEnvironment:AWS_REGION\" in section \"Gateway\")", described);
        Assert.Contains(described, d => d.StartsWith("--function-env 1BAD is not a variable name Lambda accepts", StringComparison.Ordinal)
            && d.EndsWith("(set in appsettings.json as \"FunctionEnvironment:1BAD\" in section \"Gateway\")", StringComparison.Ordinal));
    }

    [Fact]
    public void A_function_variable_is_named_where_it_was_set_unless_the_command_line_set_it()
    {
        var file = Path.Combine(_directory, "appsettings.json");
        File.WriteAllText(file, """{ "Gateway": { "FunctionEnvironment": { "SOCKETRELAY_RETRY_MAX_ATTEMPTS": "-3", "SOCKETRELAY_DEADLINE_MARGIN_MS": "abc" } } }""");
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(file)
            .AddCommandLine([.. CommandLine.ToConfigurationArguments(["--function-env", "SOCKETRELAY_DEADLINE_MARGIN_MS=x"])], CommandLine.SwitchMappings)
            .Build();
        var noVariables = new Hashtable();

        Assert.Equal(
            "--function-env SOCKETRELAY_RETRY_MAX_ATTEMPTS must be at least 0 (set in appsettings.json as \"FunctionEnvironment:SOCKETRELAY_RETRY_MAX_ATTEMPTS\" in section \"Gateway\")",
            OptionOrigin.Describe(configuration, new("--function-env SOCKETRELAY_RETRY_MAX_ATTEMPTS", "must be at least 0"), noVariables));
        Assert.Equal(
            "--function-env SOCKETRELAY_DEADLINE_MARGIN_MS must be a whole number",
            OptionOrigin.Describe(configuration, new("--function-env SOCKETRELAY_DEADLINE_MARGIN_MS", "must be a whole number"), noVariables));
    }

    [Fact]
    public void A_variable_is_named_as_it_was_spelt()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection()
            .Add(new SingleVariable("GATEWAY__PORT", "abc"))
            .Build();

        Assert.Equal(
            "--port must be a whole number (set by the environment variable GATEWAY__PORT)",
            OptionOrigin.Describe(configuration, new("--port", "must be a whole number"), new Hashtable { ["GATEWAY__PORT"] = "abc" }));
    }

    /// <summary>The environment-variable provider over one variable, as <c>AddEnvironmentVariables</c> would read it.</summary>
    private sealed class SingleVariable(string name, string value) : IConfigurationSource
    {
        public IConfigurationProvider Build(IConfigurationBuilder builder) => new Provider(name, value);

        private sealed class Provider(string name, string value) : Microsoft.Extensions.Configuration.EnvironmentVariables.EnvironmentVariablesConfigurationProvider
        {
            public override void Load() => Data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase) { [name.Replace("__", ":", StringComparison.Ordinal)] = value };
        }
    }
}
