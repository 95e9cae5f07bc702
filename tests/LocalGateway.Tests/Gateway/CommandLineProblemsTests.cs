using SocketRelay.LocalGateway.Hosting;

namespace SocketRelay.LocalGateway.Tests.Gateway;

/// <summary>What <see cref="CommandLine.Problems"/> says about a mistyped or repeated switch, before anything starts.</summary>
public sealed class CommandLineProblemsTests
{
    [Theory]
    [InlineData("--prot 9000", "--port")]
    [InlineData("--Port 9000", "--port")]
    [InlineData("--pollrs 4", "--pollers")]
    [InlineData("--function-evn A=1", "--function-env")]
    [InlineData("--data-directory x", null)]
    [InlineData("--hort 9000", null)] // one edit from --host and from --port: no guess
    [InlineData("-p 9000", null)]
    public void An_unknown_switch_is_named_alone_with_the_switch_it_is_a_slip_of(string arguments, string? meant)
    {
        var problem = Assert.Single(CommandLine.Problems(arguments.Split(' ')));

        var name = arguments.Split(' ')[0];
        Assert.StartsWith($"Unknown option '{name}': ", problem, StringComparison.Ordinal);
        Assert.DoesNotContain(arguments.Split(' ')[1], problem, StringComparison.Ordinal);
        if (meant is null)
        {
            Assert.DoesNotContain("did you mean", problem, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains($"did you mean {meant}?", problem, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("--prot -5")]
    [InlineData("--prot 1 --prot 2")]
    [InlineData("--prot=1 --prot 2 3")]
    public void A_mistyped_switch_is_one_problem_whatever_its_values_and_however_often(string arguments)
    {
        var problem = Assert.Single(CommandLine.Problems(arguments.Split(' ')));

        Assert.Equal("Unknown option '--prot': did you mean --port? Run with --help to list the options.", problem);
    }

    [Fact]
    public void A_switch_given_three_times_is_one_problem()
    {
        var problem = Assert.Single(CommandLine.Problems(["--port", "1", "--port=2", "--port", "3"]));

        Assert.Equal("Option --port is given more than once: give it once (only --function-env repeats).", problem);
    }
}
