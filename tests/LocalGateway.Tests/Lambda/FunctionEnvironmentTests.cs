using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using SocketRelay.Application.Configuration;
using SocketRelay.LocalGateway.ApiGateway;
using SocketRelay.LocalGateway.Hosting;
using SocketRelay.LocalGateway.Lambda;

namespace SocketRelay.LocalGateway.Tests.Lambda;

/// <summary>The function's environment as the options describe it: <c>--handler</c>, <c>--function-env</c>, Lambda's values.</summary>
public sealed partial class FunctionEnvironmentTests
{
    private static (GatewayOptions Options, List<OptionProblem> Problems) Load(params string[] args)
    {
        Assert.Empty(CommandLine.Problems(args));
        var problems = new List<OptionProblem>();
        var configuration = new ConfigurationBuilder().AddCommandLine([.. CommandLine.ToConfigurationArguments(args)], CommandLine.SwitchMappings).Build();
        var options = GatewayOptions.Load(configuration.GetSection(GatewayOptions.SectionName), problems);
        problems.AddRange(options.Problems());
        return (options, problems);
    }

    [Fact]
    public void Every_function_env_is_kept_and_the_handler_becomes_handler_variable()
    {
        var (options, problems) = Load("--handler", "index.handler", "--function-env", "ORDERS_TABLE=orders", "--function-env=GREETING=a=b", "--port", "9000");

        Assert.Empty(problems);
        var environment = FunctionEnvironment.For(new Uri("http://127.0.0.1:9000"), options.ToIdentity(), options.Handler, "/srv/function", options.FunctionEnvironment, ConnectionsApiCredentials.Default, _ => null);
        Assert.Equal("index.handler", environment["_HANDLER"]);
        Assert.Equal("orders", environment["ORDERS_TABLE"]);
        Assert.Equal("a=b", environment["GREETING"]);
        Assert.Equal(9000, options.Port);
    }

    [Fact]
    public void A_reserved_or_malformed_variable_is_refused_by_its_switch()
    {
        var (_, problems) = Load("--function-env", "AWS_REGION=eu-west-1", "--function-env", "9LIVES=1");

        Assert.Equal(
            ["--function-env 9LIVES is not a variable name Lambda accepts: at least two characters, a letter and then letters, digits or '_'",
             "--function-env AWS_REGION is reserved: Lambda sets it and refuses it in a function's configuration"],
            problems.Select(p => p.ToString()));
        Assert.Equal(["Option --function-env takes NAME=VALUE, such as --function-env TABLE_NAME=orders (was 'ORDERS_TABLE')."], CommandLine.Problems(["--function-env", "ORDERS_TABLE"]));
    }

    [Fact]
    public void A_user_may_override_the_unreserved_path_and_locale_as_in_lambda()
    {
        var environment = FunctionEnvironment.For(
            new Uri("http://127.0.0.1:8080"), LocalIdentity.Default, "bootstrap", "/srv/function", new Dictionary<string, string> { ["LANG"] = "de_DE.UTF-8" }, ConnectionsApiCredentials.Default, _ => null);

        Assert.Equal("de_DE.UTF-8", environment["LANG"]);
        Assert.Equal("/var/lang/lib:/lib64:/usr/lib64:/var/runtime:/var/runtime/lib:/srv/function:/srv/function/lib:/opt/lib", environment["LD_LIBRARY_PATH"]);
    }

    [Fact]
    public void Path_is_lambdas_plus_only_the_folder_of_a_node_found_elsewhere()
    {
        var folder = Path.Combine(Path.GetTempPath(), "socketrelay-path-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            File.WriteAllText(Path.Combine(folder, "node"), "");
            File.WriteAllText(Path.Combine(folder, "dotnet"), "");
            var path = FunctionEnvironment.PathFor($"/home/dev/bin:{folder}:/home/dev/.cargo/bin");

            Assert.StartsWith(FunctionEnvironment.LambdaPath, path, StringComparison.Ordinal);
            Assert.DoesNotContain("/home/dev", path, StringComparison.Ordinal);
            // Added only for a tool Lambda's own folders do not hold on this machine.
            var expected = FunctionEnvironment.LambdaPath.Split(':').Any(f => File.Exists(Path.Combine(f, "node")) && File.Exists(Path.Combine(f, "dotnet")))
                ? FunctionEnvironment.LambdaPath
                : $"{FunctionEnvironment.LambdaPath}:{folder}";
            Assert.Equal(expected, path);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Each_execution_environment_has_its_own_runtime_api_and_a_log_stream_named_as_lambda_names_it()
    {
        var function = FunctionEnvironment.For(new Uri("http://127.0.0.1:8080"), LocalIdentity.Default, "bootstrap", "/srv/function", new Dictionary<string, string>(), ConnectionsApiCredentials.Default, _ => null);

        var first = FunctionEnvironment.ForExecutionEnvironment(function, "127.0.0.1:9001", new DateTimeOffset(2026, 1, 2, 23, 59, 0, TimeSpan.FromHours(-2)));
        var second = FunctionEnvironment.ForExecutionEnvironment(function, "127.0.0.1:9002", DateTimeOffset.UtcNow);

        Assert.Equal("127.0.0.1:9001", first["AWS_LAMBDA_RUNTIME_API"]);
        Assert.Matches(LogStream(), first["AWS_LAMBDA_LOG_STREAM_NAME"]);
        Assert.StartsWith("2026/01/03/[$LATEST]", first["AWS_LAMBDA_LOG_STREAM_NAME"], StringComparison.Ordinal);
        Assert.NotEqual(first["AWS_LAMBDA_LOG_STREAM_NAME"], second["AWS_LAMBDA_LOG_STREAM_NAME"]);
        Assert.False(function.ContainsKey("AWS_LAMBDA_RUNTIME_API"));
    }

    [GeneratedRegex(@"^[0-9]{4}/[0-9]{2}/[0-9]{2}/\[\$LATEST\][0-9a-f]{32}$")]
    private static partial Regex LogStream();
}
