using System.CommandLine;
using Sciot.Client.Commands;

namespace Sciot.Tests.Client;

/// <summary>Arguments of the command words: URL options (System.CommandLine cannot parse <see cref="Uri"/> itself) and bad arguments exiting 2.</summary>
public sealed class CommandLineParsingTests
{
    /// <summary>Port 1 on loopback: nothing listens there, so a connection is refused at once.</summary>
    private const string Nobody = "http://127.0.0.1:1";

    private static (Uri? Url, string Errors) ParseUrl(params string[] args)
    {
        var option = CommandLineParsing.Url("--server", "a server");
        var parsed = new RootCommand { option }.Parse(args);
        return (parsed.Errors.Count == 0 ? parsed.GetValue(option) : null, string.Join("; ", parsed.Errors.Select(e => e.Message)));
    }

    [Theory]
    [InlineData("http://127.0.0.1:18150")]
    [InlineData("https://edge.example:8443/")]
    public void An_http_url_is_read_as_given(string text)
    {
        Assert.Equal((new Uri(text), ""), ParseUrl("--server", text));
    }

    [Theory]
    [InlineData("ftp://localhost")]
    [InlineData("localhost:8000")]
    [InlineData("not a url")]
    public void Anything_else_is_an_error_naming_the_option_and_the_value(string text)
    {
        Assert.Equal((null, $"--server must be an http:// or https:// URL, got '{text}'"), ParseUrl("--server", text));
    }

    [Fact]
    public void Without_the_option_there_is_no_url()
    {
        Assert.Equal((null, ""), ParseUrl());
    }

    [Fact]
    public async Task Bench_fleet_takes_its_urls_and_exits_3_when_no_server_answers()
    {
        Assert.Equal(3, await FleetBenchCommand.RunAsync(["--single", Nobody, "--evicting", Nobody, "--clients", "1"]));
    }

    [Fact]
    public async Task Load_takes_a_server_url_and_exits_3_when_it_does_not_answer()
    {
        Assert.Equal(3, await LoadCommand.RunAsync(["--server", Nobody, "--devices", "1", "--seconds", "1"]));
    }

    /// <summary>Each within what <c>load</c> checked before, but beyond what a device accepts or an int holds: refused before any server is asked.</summary>
    [Theory]
    [InlineData("--devices", "20000")]
    [InlineData("--cycle-interval-ms", "3600001")]
    [InlineData("--splits", "5,99999999999")]
    public async Task Load_exits_2_on_an_argument_out_of_range(string option, string value)
    {
        Assert.Equal(CommandLineParsing.BadArguments, await LoadCommand.RunAsync(["--server", Nobody, "--seconds", "1", option, value]));
    }

    [Fact]
    public void Generate_models_exits_2_on_an_unknown_option_a_missing_folder_and_a_folder_without_weights()
    {
        var empty = Directory.CreateTempSubdirectory("sciot-no-weights-").FullName;
        try
        {
            (int Exit, string Error) Run(string argument)
            {
                var error = new StringWriter();
                return (GenerateModelsCommand.Run([argument], TextWriter.Null, error), error.ToString().TrimEnd());
            }

            var unknown = Run("--bogus");
            Assert.Equal(CommandLineParsing.BadArguments, unknown.Exit);
            Assert.Contains("--bogus", unknown.Error);
            var missing = Path.Combine(empty, "missing");
            Assert.Equal((CommandLineParsing.BadArguments, $"generate-models: folder '{missing}' does not exist"), Run(missing));
            var weights = Path.Combine(empty, "fomo_96x96", "weights.safetensors");
            Assert.Equal((CommandLineParsing.BadArguments, $"generate-models: {weights}: weights file is missing"), Run(empty));
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }
}
