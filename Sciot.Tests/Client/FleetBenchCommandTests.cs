using Sciot.Client.Commands;

namespace Sciot.Tests.Client;

public sealed class FleetBenchCommandTests
{
    [Theory]
    [InlineData]
    [InlineData("--clients", "100")]
    [InlineData("--single", "http://127.0.0.1:1", "--clients", "ten")]
    [InlineData("--single", "http://127.0.0.1:1", "--clients", "0")]
    [InlineData("--single", "http://127.0.0.1:1", "--rounds")]
    [InlineData("--single", "http://127.0.0.1:1", "--replicas", "3")]
    public async Task Bad_arguments_exit_with_2_before_any_server_is_contacted(params string[] args)
    {
        Assert.Equal(CommandLineParsing.BadArguments, await FleetBenchCommand.RunAsync(args));
    }
}
