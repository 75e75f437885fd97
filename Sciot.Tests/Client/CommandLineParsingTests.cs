using System.CommandLine;
using Sciot.Client.Commands;

namespace Sciot.Tests.Client;

/// <summary>URL options of the command words: System.CommandLine cannot parse <see cref="Uri"/> itself.</summary>
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
}
