using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using SocketRelay.Application.Configuration;
using SocketRelay.LocalGateway.Hosting;
using SocketRelay.LocalGateway.Queue;
using SocketRelay.TestSupport;

namespace SocketRelay.LocalGateway.Tests.Gateway;

/// <summary>
/// The gateway executable as a new user runs it: a bad option or a failed start is one line on
/// standard error, naming the option, and a non-zero exit code; never a stack trace.
/// </summary>
public sealed class CommandLineTests : IDisposable
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "socketrelay-cli-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dataDir))
        {
            Directory.Delete(_dataDir, recursive: true);
        }
    }

    [Theory]
    [InlineData("--port abc", "--port", 2)]
    [InlineData("--port 70000", "--port", 2)]
    [InlineData("--port 99999999999", "--port is too large", 2)]
    [InlineData("--runtime-api-port x", "--runtime-api-port", 2)]
    [InlineData("--runtime-api-port 65534 --pollers 3", "--runtime-api-port", 2)]
    [InlineData("--pollers 0", "--pollers", 2)]
    [InlineData("--pollers 100000", "--pollers", 2)]
    [InlineData("--function-timeout 1.5", "--function-timeout", 2)]
    [InlineData("--function-timeout 1", "--function-timeout", 2)]
    [InlineData("--function-timeout 2", "--function-timeout", 2)]
    [InlineData("--function-timeout 901 --visibility-timeout 1000", "--function-timeout", 2)]
    [InlineData("--visibility-timeout 43201", "--visibility-timeout", 2)]
    [InlineData("--visibility-timeout 1 --function-timeout 5", "--visibility-timeout", 2)]
    [InlineData("--max-receive-count 0", "--max-receive-count", 2)]
    [InlineData("--queue kafka", "--queue", 2)]
    [InlineData("--queue sqs", "--sqs-queue-url", 2)]
    [InlineData("--sqs-queue-url https://sqs.us-east-1.amazonaws.com/1/q.fifo", "--sqs-queue-url applies only with --queue sqs", 2)]
    [InlineData("--sqs-service-url http://127.0.0.1:5000", "--sqs-service-url applies only with --queue sqs", 2)]
    [InlineData("--port 9000 --pollers 2 --port=9001", "--port is given more than once", 2)]
    [InlineData("--port 9000 --port 9001 --port 9002", "--port is given more than once", 2)]
    [InlineData("--prot 9000", "Unknown option '--prot': did you mean --port?", 2)]
    [InlineData("--function-env AB=1 --function-env=AB=2", "--function-env sets AB more than once", 2)]
    [InlineData("--port 27040 --pollers 3 --runtime-api-port 27039", "--port 27040 is among them", 2)]
    [InlineData("--fault-rate often", "--fault-rate", 2)]
    [InlineData("--fault-status 404", "--fault-status", 2)]
    [InlineData("--fault-latency-ms -5", "--fault-latency-ms", 2)]
    [InlineData("--fault-seed x", "--fault-seed", 2)]
    [InlineData("--no-such-option 1", "--no-such-option", 2)]
    [InlineData("--pollers", "--pollers", 2)]
    [InlineData("--host no-such-host.invalid", "--host", 1)]
    [InlineData("--host 192.0.2.1", "--host", 1)]
    public async Task A_bad_option_is_one_line_naming_it_and_a_non_zero_exit(string arguments, string option, int exitCode)
    {
        var run = await RunAsync(arguments.Split(' '));

        Assert.Equal(exitCode, run.ExitCode);
        var line = Assert.Single(run.Errors);
        Assert.Contains(option, line, StringComparison.Ordinal);
        Assert.Empty(run.Output);
    }

    [Theory]
    [InlineData("Gateway__SqsQueueUrl", "https://sqs.us-east-1.amazonaws.com/1/q.fifo", "Invalid option: --sqs-queue-url applies only with --queue sqs", "(set by the environment variable Gateway__SqsQueueUrl).")]
    [InlineData("Gateway__Pollers", "0", "Invalid option: --pollers must be", "(set by the environment variable Gateway__Pollers).")]
    public async Task An_option_set_by_an_environment_variable_is_refused_naming_the_variable(string variable, string value, string start, string end)
    {
        var run = await RunAsync(new Dictionary<string, string> { [variable] = value }, "--port", "0");

        Assert.Equal(2, run.ExitCode);
        var line = Assert.Single(run.Errors);
        Assert.StartsWith(start, line, StringComparison.Ordinal);
        Assert.EndsWith(end, line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2, null, null, "2000 ms (SOCKETRELAY_DEADLINE_MARGIN_MS, the function's default)")]
    [InlineData(3, null, null, null)]
    [InlineData(1, "500", null, null)]
    [InlineData(1, null, "500", null)]
    [InlineData(3, null, "3000", "3000 ms (SOCKETRELAY_DEADLINE_MARGIN_MS, from the gateway's environment)")]
    [InlineData(3, "1000", "3000", null)]
    [InlineData(3, "4000", "1000", "4000 ms (SOCKETRELAY_DEADLINE_MARGIN_MS, set with --function-env)")]
    public void A_function_timeout_within_the_functions_deadline_margin_is_refused_naming_where_the_margin_comes_from(int timeoutSeconds, string? functionEnvMarginMs, string? gatewayEnvMarginMs, string? margin)
    {
        var refused = margin is not null;
        var options = new GatewayOptions { FunctionTimeoutSeconds = timeoutSeconds };
        if (functionEnvMarginMs is not null)
        {
            options.FunctionEnvironment["SOCKETRELAY_DEADLINE_MARGIN_MS"] = functionEnvMarginMs;
        }

        var problems = options.Problems(name => name == "SOCKETRELAY_DEADLINE_MARGIN_MS" ? gatewayEnvMarginMs : null).Select(p => p.ToString()).ToList();

        Assert.Equal(refused, problems.Any(p => p.StartsWith("--function-timeout must be more than the function's deadline safety margin, " + margin, StringComparison.Ordinal)));

        // A --function-binary may be any runtime: its margin is its own, so the gateway does not guess it.
        options.FunctionBinary = "bootstrap";
        Assert.DoesNotContain(options.Problems(_ => null), p => p.ToString().Contains("deadline safety margin", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_port_in_use_is_one_line_naming_the_port_option_without_the_hosts_stack_trace()
    {
        using var occupant = new TcpListener(IPAddress.Loopback, 0);
        occupant.Start();
        var port = ((IPEndPoint)occupant.LocalEndpoint).Port;

        var run = await RunAsync("--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(1, run.ExitCode);
        var line = Assert.Single(run.Errors);
        Assert.Equal($"The local gateway could not start: port {port} on 127.0.0.1 is already in use (--port): stop what is using it, or choose another port with --port", line);
        Assert.Empty(run.Output);
    }

    [Fact]
    public async Task A_runtime_api_port_in_use_is_one_line_naming_its_option()
    {
        using var occupant = new TcpListener(IPAddress.Loopback, 0);
        occupant.Start();
        var port = ((IPEndPoint)occupant.LocalEndpoint).Port;

        // One environment, so that only this port is named: with more, a later port that another test
        // happens to hold is named too (that case has its own test below).
        var run = await RunAsync("--port", "0", "--pollers", "1", "--runtime-api-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith($"The local gateway could not start: the Lambda Runtime API cannot listen on 127.0.0.1 port {port} (--runtime-api-port {port}", Assert.Single(run.Errors), StringComparison.Ordinal);
        Assert.Empty(run.Output);
    }

    [Fact]
    public async Task A_busy_runtime_api_port_of_a_later_environment_is_the_one_named()
    {
        // A free first port whose next port is taken: the message names the taken one.
        int first;
        TcpListener occupant;
        while (true)
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            first = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            occupant = new TcpListener(IPAddress.Loopback, first + 1);
            try
            {
                occupant.Start();
                break;
            }
            catch (SocketException)
            {
                occupant.Dispose();
            }
        }

        using (occupant)
        {
            var run = await RunAsync("--port", "0", "--pollers", "2", "--runtime-api-port", first.ToString(System.Globalization.CultureInfo.InvariantCulture));

            Assert.Equal(1, run.ExitCode);
            var line = Assert.Single(run.Errors);
            Assert.StartsWith($"The local gateway could not start: the Lambda Runtime API cannot listen on 127.0.0.1 port {first + 1} (--runtime-api-port {first} takes 2 consecutive ports", line, StringComparison.Ordinal);
            Assert.Empty(run.Output);
        }
    }

    [Fact]
    public async Task A_data_directory_held_by_another_gateway_is_one_line_naming_its_option()
    {
        Directory.CreateDirectory(_dataDir);
        using (DataDirectoryLock.Acquire(Path.Combine(_dataDir, SqliteQueueOptions.DatabaseFileName)))
        {
            var run = await RunAsync("--port", "0");

            Assert.Equal(1, run.ExitCode);
            Assert.StartsWith($"The local gateway could not start: --data-dir {_dataDir} cannot be used: ", Assert.Single(run.Errors), StringComparison.Ordinal);
            Assert.Empty(run.Output);
        }
    }

    [Fact]
    public async Task A_data_directory_that_cannot_be_created_is_one_line_naming_its_option()
    {
        Directory.CreateDirectory(_dataDir);
        var file = Path.Combine(_dataDir, "a-file");
        await File.WriteAllTextAsync(file, "not a directory");

        var run = await RunAsync("--port", "0", "--data-dir", file);

        Assert.Equal(1, run.ExitCode);
        var line = Assert.Single(run.Errors);
        Assert.StartsWith($"The local gateway could not start: --data-dir {file} cannot be used: ", line, StringComparison.Ordinal);
        Assert.EndsWith("Choose a directory this user can create and write.", line, StringComparison.Ordinal);
        Assert.Empty(run.Output);
    }

    [Fact]
    public async Task A_missing_function_binary_is_one_line_naming_its_option_and_leaves_no_data_directory()
    {
        var missing = Path.Combine(_dataDir, "no-bootstrap");

        var run = await RunAsync("--port", "0", "--function-binary", missing);

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith($"The local gateway could not start: --function-binary: no file at {missing}", Assert.Single(run.Errors), StringComparison.Ordinal);
        Assert.Empty(run.Output);
        Assert.False(Directory.Exists(_dataDir), "a start refused for its function binary created the data directory");
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_function_binary_without_execute_permission_is_one_line_saying_chmod()
    {
        Directory.CreateDirectory(_dataDir);
        var script = Path.Combine(_dataDir, "bootstrap");
        await File.WriteAllTextAsync(script, "#!/bin/sh\nexit 0\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var dataDir = Path.Combine(_dataDir, "data");

        var run = await RunAsync("--port", "0", "--function-binary", script, "--data-dir", dataDir);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"The local gateway could not start: --function-binary: {script} is not executable; make it so with: chmod +x {script}", Assert.Single(run.Errors));
        Assert.Empty(run.Output);
        Assert.False(Directory.Exists(dataDir), "a start refused for its function binary created the data directory");
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_function_binary_that_is_a_dangling_link_is_one_line_naming_its_option()
    {
        Directory.CreateDirectory(_dataDir);
        var link = Path.Combine(_dataDir, "bootstrap");
        File.CreateSymbolicLink(link, Path.Combine(_dataDir, "gone"));

        var run = await RunAsync("--port", "0", "--function-binary", link, "--data-dir", Path.Combine(_dataDir, "data"));

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"The local gateway could not start: --function-binary: {link} is a symbolic link to {Path.Combine(_dataDir, "gone")}, which does not exist", Assert.Single(run.Errors));
        Assert.False(Directory.Exists(Path.Combine(_dataDir, "data")));
    }

    [Fact]
    public async Task A_function_binary_that_is_a_directory_is_one_line_naming_its_option()
    {
        Directory.CreateDirectory(_dataDir);

        var run = await RunAsync("--port", "0", "--function-binary", _dataDir);

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith($"The local gateway could not start: --function-binary: {_dataDir} is a directory", Assert.Single(run.Errors), StringComparison.Ordinal);
        Assert.Empty(run.Output);
    }

    [Fact]
    public async Task A_mistyped_Gateway_variable_is_refused_with_one_line_as_a_mistyped_flag_is()
    {
        var run = await RunAsync(new Dictionary<string, string> { ["Gateway__Prot"] = "9000" }, "--port", "0");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("Invalid option: Gateway__Prot is not a setting of the gateway: did you mean Gateway__Port? Run with --help for each option's variable.", Assert.Single(run.Errors));
        Assert.Empty(run.Output);
    }

    [Fact]
    public async Task Every_bad_setting_is_reported_in_one_run_not_the_first_alone()
    {
        var run = await RunAsync(new Dictionary<string, string> { ["Gateway__Prot"] = "9000", ["Gateway__Pollers"] = "0" }, "--port", "0");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(2, run.Errors.Count);
        Assert.Contains(run.Errors, line => line.StartsWith("Invalid option: Gateway__Prot is not a setting of the gateway", StringComparison.Ordinal));
        Assert.Contains(run.Errors, line => line.StartsWith("Invalid option: --pollers must be", StringComparison.Ordinal) && line.EndsWith("(set by the environment variable Gateway__Pollers).", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_misspelt_Gateway_section_is_refused_with_the_name_it_is_a_slip_of()
    {
        var run = await RunAsync(new Dictionary<string, string> { ["Gatway__Port"] = "9000" }, "--port", "0");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(
            "Invalid option: Gatway is not the gateway's section (did you mean Gateway?): its settings are Gateway__NAME variables or \"Gateway\" in appsettings.json.",
            Assert.Single(run.Errors));
    }

    [Fact]
    public void A_lone_variable_named_like_the_section_is_not_taken_for_it()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Gateways"] = "a value, not a section",
            ["Gateway:Port"] = "9000",
            ["Logging:LogLevel:Default"] = "Warning",
        }).Build();

        Assert.Empty(GatewayOptions.MisspeltSections(configuration));
    }

    [Fact]
    public async Task A_mistyped_SOCKETRELAY_variable_in_the_gateways_environment_is_refused_as_it_would_reach_nothing()
    {
        var run = await RunAsync(new Dictionary<string, string> { ["SOCKETRELAY_MAX_CONCURENT_GROUPS"] = "5" }, "--port", "0");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(
            "Invalid option: SOCKETRELAY_MAX_CONCURENT_GROUPS is not a setting of the function, and the gateway passes only those on (did you mean SOCKETRELAY_MAX_CONCURRENT_GROUPS?).",
            Assert.Single(run.Errors));
    }

    [Fact]
    public async Task A_start_the_in_process_function_refuses_removes_the_data_directory_it_created()
    {
        var dataDir = Path.Combine(_dataDir, "fresh", "data");

        var run = await RunAsync("--port", "0", "--function-env", "SOCKETRELAY_DEADLINE_MARGIN_MS=abc", "--data-dir", dataDir);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(run.Errors, line => line.Contains("--function-env SOCKETRELAY_DEADLINE_MARGIN_MS", StringComparison.Ordinal));
        Assert.False(Directory.Exists(_dataDir), "a refused start left the directories it created");
    }

    [Fact]
    public async Task A_refused_start_leaves_a_data_directory_that_was_there_and_its_queue()
    {
        Directory.CreateDirectory(_dataDir);
        var kept = Path.Combine(_dataDir, "notes.txt");
        await File.WriteAllTextAsync(kept, "mine");

        var run = await RunAsync("--port", "0", "--function-env", "SOCKETRELAY_DEADLINE_MARGIN_MS=abc");

        Assert.Equal(2, run.ExitCode);
        Assert.True(File.Exists(kept));
        Assert.True(File.Exists(Path.Combine(_dataDir, SqliteQueueOptions.DatabaseFileName)), "the queue of a directory the start did not create was removed");
    }

    [Fact]
    public async Task A_mistyped_SOCKETRELAY_function_variable_is_refused_by_the_function_as_it_starts()
    {
        var run = await RunAsync("--port", "0", "--function-env", "SOCKETRELAY_DEADLNE_MARGIN_MS=100");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(run.Errors, line => line.Contains("--function-env SOCKETRELAY_DEADLNE_MARGIN_MS is not a setting of this function (did you mean SOCKETRELAY_DEADLINE_MARGIN_MS?)", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Gateway__Port__X", "Gateway__Port__X is not a setting of the gateway: run with --help for each option's variable")]
    [InlineData("Gateway__FaultStatus__0", "Gateway__FaultStatus__0 is an element of a list, but FaultStatus takes one value: write the codes in one string, separated by commas, e.g. \"429,503\"")]
    [InlineData("Gateway__FunctionEnvironment__TABLE__X", "Gateway__FunctionEnvironment__TABLE__X is not a setting of the gateway: run with --help for each option's variable")]
    [InlineData("Gateway__FunctionEnvironment", "Gateway__FunctionEnvironment sets no variable: give each by its name, as --function-env NAME=VALUE, Gateway__FunctionEnvironment__NAME=VALUE or \"FunctionEnvironment\": { \"NAME\": \"VALUE\" } in appsettings.json")]
    public void A_value_under_a_setting_or_on_the_variables_section_is_refused_not_ignored(string variable, string problem)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [variable.Replace("__", ":", StringComparison.Ordinal)] = "A=1" }).Build();
        var problems = new List<OptionProblem>();

        GatewayOptions.Load(configuration.GetSection(GatewayOptions.SectionName), problems);

        Assert.Equal(problem, Assert.Single(problems).ToString());
    }

    [Fact]
    public void Function_variables_written_as_a_json_list_are_refused_as_a_list_not_as_a_variable_named_0()
    {
        using var json = new MemoryStream("""{"Gateway":{"FunctionEnvironment":["ORDERS_TABLE=orders"]}}"""u8.ToArray());
        var configuration = new ConfigurationBuilder().AddJsonStream(json).Build();
        var problems = new List<OptionProblem>();

        var options = GatewayOptions.Load(configuration.GetSection(GatewayOptions.SectionName), problems);

        Assert.Equal(
            "Gateway__FunctionEnvironment is a list, but variables are given by name: as --function-env NAME=VALUE, Gateway__FunctionEnvironment__NAME=VALUE or \"FunctionEnvironment\": { \"NAME\": \"VALUE\" } in appsettings.json",
            Assert.Single(problems).ToString());
        Assert.Empty(options.FunctionEnvironment);
        Assert.Empty(options.Problems(_ => null));
    }

    [Theory]
    [InlineData("429 503")]
    [InlineData("429;503")]
    [InlineData("429,abc")]
    [InlineData("404")]
    public void Fault_statuses_that_are_not_allowed_codes_separated_by_commas_are_refused_as_written(string value)
    {
        var configuration = new ConfigurationBuilder().AddCommandLine(["--fault-status", value], CommandLine.SwitchMappings).Build();
        var problems = new List<OptionProblem>();
        var options = GatewayOptions.Load(configuration.GetSection(GatewayOptions.SectionName), problems);

        Assert.Equal(
            $"--fault-status must list codes among 429,500,502,503,504, separated by commas (was '{value}')",
            Assert.Single(options.Problems()).ToString());
    }

    [Theory]
    [InlineData("--host")]
    [InlineData("--data-dir")]
    public void An_empty_host_or_data_directory_is_refused_by_its_switch(string option)
    {
        var configuration = new ConfigurationBuilder().AddCommandLine([option, ""], CommandLine.SwitchMappings).Build();
        var problems = new List<OptionProblem>();
        var options = GatewayOptions.Load(configuration.GetSection(GatewayOptions.SectionName), problems);

        var problem = Assert.Single(options.Problems());

        Assert.Equal(option, problem.Name);
        Assert.EndsWith("(was empty)", problem.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Gateway__Pollrs", "did you mean Gateway__Pollers? ")]
    [InlineData("gateway__pollrs", "did you mean Gateway__Pollers? ")]
    [InlineData("Gateway__Hort", "")] // Host and Port are as near as each other: nothing is guessed
    [InlineData("Gateway__Banana", "")]
    public void A_mistyped_Gateway_key_is_answered_with_the_one_setting_it_is_a_slip_of(string variable, string suggestion)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [variable.Replace("__", ":", StringComparison.Ordinal)] = "1" }).Build();
        var problems = new List<OptionProblem>();

        GatewayOptions.Load(configuration.GetSection(GatewayOptions.SectionName), problems);

        var problem = Assert.Single(problems);
        Assert.Equal(
            suggestion.Length == 0
                ? "is not a setting of the gateway: run with --help for each option's variable"
                : $"is not a setting of the gateway: {suggestion}Run with --help for each option's variable",
            problem.Problem);
    }

    [Fact]
    public void The_help_names_each_options_environment_variable_and_it_sets_the_option()
    {
        var help = CommandLine.Help();
        foreach (var (option, variable) in new[] { ("--function-timeout", "Gateway__FunctionTimeoutSeconds"), ("--visibility-timeout", "Gateway__VisibilityTimeoutSeconds"), ("--function-memory", "Gateway__FunctionMemoryMb"), ("--data-dir", "Gateway__DataDir"), ("--function-env", "Gateway__FunctionEnvironment__NAME") })
        {
            Assert.Contains(help.Split('\n'), line => line.TrimStart().StartsWith(option + " ", StringComparison.Ordinal) && line.TrimEnd().EndsWith($"[{variable}]", StringComparison.Ordinal));
        }

        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Gateway:FunctionTimeoutSeconds"] = "7", ["Gateway:FunctionMemoryMb"] = "512" })
            .Build();
        var problems = new List<SocketRelay.Application.Configuration.OptionProblem>();
        var options = GatewayOptions.Load(configuration.GetSection(GatewayOptions.SectionName), problems);
        Assert.Empty(problems);
        Assert.Equal((7, 512), (options.FunctionTimeoutSeconds, options.FunctionMemoryMb));
    }

    [Fact]
    public async Task An_inherited_variable_the_function_refuses_is_a_bad_option_naming_the_variable()
    {
        var run = await RunAsync(new Dictionary<string, string> { ["SOCKETRELAY_MAX_CONCURRENT_GROUPS"] = "0" }, "--port", "0");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(
            "Invalid option: SOCKETRELAY_MAX_CONCURRENT_GROUPS (an environment variable the in-process function inherits; override it with --function-env) must be a whole number of at least 1 (was '0').",
            Assert.Single(run.Errors));
    }

    [Fact]
    public async Task Every_function_env_value_the_function_refuses_is_a_bad_option_of_its_own()
    {
        var run = await RunAsync(
            "--port", "0", "--function-env", "SOCKETRELAY_DEADLINE_MARGIN_MS=abc", "--function-env", "SOCKETRELAY_RETRY_MAX_ATTEMPTS=-3");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(
            [
                "Invalid option: --function-env SOCKETRELAY_DEADLINE_MARGIN_MS must be a whole number of at least 0 (was 'abc').",
                "Invalid option: --function-env SOCKETRELAY_RETRY_MAX_ATTEMPTS must be a whole number of at least 0 (was '-3').",
            ],
            run.Errors);
        Assert.Empty(run.Output);
    }

    [Fact]
    public async Task A_function_env_value_set_by_a_gateway_variable_is_refused_naming_that_variable()
    {
        var run = await RunAsync(new Dictionary<string, string> { ["Gateway__FunctionEnvironment__SOCKETRELAY_RETRY_MAX_ATTEMPTS"] = "-3" }, "--port", "0");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(
            "Invalid option: --function-env SOCKETRELAY_RETRY_MAX_ATTEMPTS must be a whole number of at least 0 (was '-3') (set by the environment variable Gateway__FunctionEnvironment__SOCKETRELAY_RETRY_MAX_ATTEMPTS).",
            Assert.Single(run.Errors));
        Assert.Empty(run.Output);
    }

    [Fact]
    public async Task A_rule_between_two_function_variables_names_the_one_nobody_set_as_the_default()
    {
        var run = await RunAsync("--port", "0", "--function-env", "socketrelay_retry_base_delay_ms=5000");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(
            "Invalid option: SOCKETRELAY_RETRY_MAX_DELAY_MS (the function's default; set it with --function-env) must be at least SOCKETRELAY_RETRY_BASE_DELAY_MS (was 2000 ms against 5000 ms).",
            Assert.Single(run.Errors));
        Assert.Empty(run.Output);
    }

    [Fact]
    public async Task Localhost_is_resolved_and_bound_on_loopback()
    {
        await using var gateway = await GatewayHost.StartAsync(
            new GatewayOptions { Host = "localhost", Port = 0, DataDir = _dataDir, Pollers = 1 },
            Environment.GetEnvironmentVariable,
            TextWriter.Null,
            logging => logging.SetMinimumLevel(LogLevel.Warning));

        Assert.True(IPAddress.IsLoopback(IPAddress.Parse(gateway.HttpUrl.Host)), gateway.HttpUrl.ToString());
        using var http = new HttpClient();
        using var status = await http.GetAsync(new Uri(gateway.HttpUrl, "/_local/status"));
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
    }

    private Task<(int ExitCode, List<string> Output, List<string> Errors)> RunAsync(params string[] arguments) =>
        RunAsync(new Dictionary<string, string>(), arguments);

    private async Task<(int ExitCode, List<string> Output, List<string> Errors)> RunAsync(Dictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet");
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        // The test's own data directory unless the arguments name one (an option given twice is refused).
        string[] defaults = arguments.Contains("--data-dir") ? [] : ["--data-dir", _dataDir];
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "SocketRelay.LocalGateway.dll") }.Concat(defaults).Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        var run = await ChildProcess.RunAsync(start, TimeSpan.FromSeconds(60));
        return (run.ExitCode, Lines(run.Output), Lines(run.Error));
    }

    private static List<string> Lines(string text) => [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
