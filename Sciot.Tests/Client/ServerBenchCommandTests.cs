using System.Net;
using System.Net.Sockets;
using Sciot.Client.Commands;

namespace Sciot.Tests.Client;

public sealed class ServerBenchCommandTests
{
    private static ServerBenchOptions? Parse(params string[] args) => ServerBenchOptions.Parse(args, new StringWriter(), new StringWriter(), out _);

    [Fact]
    public void Defaults_are_the_documented_command()
    {
        var options = Parse()!;

        Assert.Equal(new Uri("http://localhost:8000"), options.Server);
        Assert.Equal((20, 400, 64, "fomo_96x96"), (options.K, options.Requests, options.Concurrency, options.Model));
    }

    [Fact]
    public void Every_option_is_read()
    {
        var options = Parse("--server", "http://127.0.0.1:8020", "--k", "5", "--requests", "10", "--concurrency", "4", "--warmup", "0", "--model", "mobilenet_lite");

        Assert.Equal(new ServerBenchOptions
        {
            Server = new Uri("http://127.0.0.1:8020"), K = 5, Requests = 10, Concurrency = 4, Warmup = 0, Model = "mobilenet_lite",
        }, options);
    }

    [Theory]
    [InlineData("--server", "http://example.com:8000")]
    [InlineData("--server", "http://10.0.0.5:8000")]
    public void A_remote_server_is_refused_naming_the_host(params string[] args)
    {
        var error = new StringWriter();
        Assert.Null(ServerBenchOptions.Parse(args, new StringWriter(), error, out var exitCode));

        Assert.Equal(2, exitCode);
        Assert.Contains("loopback", error.ToString());
        Assert.Contains(new Uri(args[1]).Host, error.ToString());
    }

    [Theory]
    [InlineData("--k")]
    [InlineData("--k", "-1")]
    [InlineData("--requests", "0")]
    [InlineData("--requests", "100001")]
    [InlineData("--concurrency", "1025")]
    [InlineData("--warmup", "many")]
    [InlineData("--server", "ftp://localhost")]
    [InlineData("--server", "localhost:8000")]
    [InlineData("--model", "--k", "3")]
    [InlineData("--quick")]
    public async Task Bad_arguments_exit_with_2(params string[] args)
    {
        Assert.Equal(2, await ServerBenchCommand.RunAsync(args));
    }

    [Fact]
    public async Task An_unreachable_server_exits_with_3()
    {
        // A port that was free a moment ago: nothing listens there, so the connection is refused at once.
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        Assert.Equal(3, await ServerBenchCommand.RunAsync(["--server", $"http://127.0.0.1:{port}"]));
    }
}
