using System.Diagnostics;
using System.Text.RegularExpressions;
using SocketRelay.Lambda.Tests.Support;
using SocketRelay.LocalGateway.Lambda;

namespace SocketRelay.Lambda.Tests;

public class AotStartupTests
{
    [Fact]
    public async Task A_missing_endpoint_is_reported_as_an_init_error_and_the_process_exits_non_zero()
    {
        var binary = await BootstrapPublisher.GetAsync();
        await using var runtime = await LocalRuntimeApi.StartAsync();
        await using var function = BootstrapProcess.Start(binary, BootstrapProcess.LambdaEnvironment(runtime.Address, endpoint: null));

        var (errorType, body) = await runtime.InitError.WaitAsync(TimeSpan.FromSeconds(20));
        var exitCode = await function.WaitForExitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal("Runtime.InitError", errorType);
        Assert.Contains("WEBSOCKET_API_ENDPOINT is required", body, StringComparison.Ordinal);
        Assert.NotEqual(0, exitCode);
        Assert.Contains(function.StandardOutput, line => line.Contains("\"level\":\"Critical\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_published_function_is_one_native_executable_without_managed_assemblies()
    {
        var binary = await BootstrapPublisher.GetAsync();
        var folder = Path.GetDirectoryName(binary)!;

        Assert.True(File.Exists(binary));
        Assert.False(File.Exists(Path.Combine(folder, "bootstrap.dll")));
        Assert.Empty(Directory.GetFiles(folder, "*.dll"));
        using var stream = File.OpenRead(binary);
        var magic = new byte[4];
        await stream.ReadExactlyAsync(magic);
        Assert.Equal("\u007fELF"u8.ToArray(), magic);
    }

    [Fact]
    public async Task The_binary_needs_no_glibc_newer_than_amazon_linux_2023s_2_34()
    {
        var binary = await BootstrapPublisher.GetAsync();
        var start = new ProcessStartInfo("objdump", ["-T", binary]) { RedirectStandardOutput = true };
        using var objdump = Process.Start(start)!;
        var symbols = await objdump.StandardOutput.ReadToEndAsync();
        await objdump.WaitForExitAsync();

        var versions = Regex.Matches(symbols, @"GLIBC_(\d+)\.(\d+)").Select(m => new Version(int.Parse(m.Groups[1].Value), int.Parse(m.Groups[2].Value))).ToList();
        Assert.NotEmpty(versions);
        Assert.True(versions.Max() <= new Version(2, 34), $"needs GLIBC_{versions.Max()}");
    }
}
