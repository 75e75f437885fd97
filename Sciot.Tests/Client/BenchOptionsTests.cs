using Sciot.Client.Commands;

namespace Sciot.Tests.Client;

public sealed class BenchOptionsTests
{
    private static (BenchOptions? Options, int ExitCode, string Error) Parse(params string[] args)
    {
        var error = new StringWriter();
        var options = BenchOptions.Parse(args, new StringWriter(), error, out var exitCode);
        return (options, exitCode, error.ToString());
    }

    [Fact]
    public void Quick_changes_only_the_defaults()
    {
        var quick = Parse("--quick").Options!;
        var explicitRuns = Parse("--quick", "--runs", "7").Options!;

        Assert.Equal((20, 3, 1), (quick.Runs, quick.Warmup, quick.CreationRepeats));
        Assert.Equal((7, 3), (explicitRuns.Runs, explicitRuns.Warmup));
        Assert.Equal((200, 20, 5), (Parse().Options!.Runs, Parse().Options!.Warmup, Parse().Options!.CreationRepeats));
    }

    [Theory]
    [InlineData("bench: --runs must be a whole number >= 1, got 0", "--runs", "0")]
    [InlineData("bench: --warmup must be a whole number >= 0, got -1", "--warmup", "-1")]
    public void An_out_of_range_count_exits_2_naming_the_option(string message, params string[] args)
    {
        var (options, exitCode, error) = Parse(args);

        Assert.Null(options);
        Assert.Equal(CommandLineParsing.BadArguments, exitCode);
        Assert.Equal(message, error.Trim());
    }

    [Fact]
    public void An_unknown_argument_exits_2()
    {
        var (options, exitCode, error) = Parse("--fast");

        Assert.Null(options);
        Assert.Equal(2, exitCode);
        Assert.Contains("--fast", error);
    }

    [Fact]
    public void Help_prints_the_options_and_exits_0()
    {
        var output = new StringWriter();

        var options = BenchOptions.Parse(["--help"], output, new StringWriter(), out var exitCode);

        Assert.Null(options);
        Assert.Equal(0, exitCode);
        Assert.Contains("--runs", output.ToString());
    }
}
