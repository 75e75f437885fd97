using System.Net;
using System.Net.Sockets;
using Sciot.Core.Models.Building;
using Sciot.Tests.TestSupport;

namespace Sciot.Tests.Client;

public sealed class OfflineResilienceTests
{
    /// <summary>
    /// A port that refuses connections and stays refused for the whole test: bound, never listening, so no other test's
    /// server can take it meanwhile.
    /// </summary>
    private static Socket RefusingPort()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    [Fact]
    public async Task Unreachable_server_retries_then_falls_back_to_local_only_and_keeps_working()
    {
        using var refusing = RefusingPort();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{((IPEndPoint)refusing.LocalEndPoint!).Port}") };
        var options = TestDevices.FastOptions();
        options.Registration.ReconnectIntervalSeconds = 3600;
        using var device = TestDevices.Create("dev_offline", http, options);

        await device.StartAsync(CancellationToken.None);

        Assert.Equal(1 + options.Registration.MaxRetries, device.RegistrationAttempts);
        Assert.False(device.IsSplitMode);
        Assert.Equal(ShippedModels.Fomo, device.ModelName);
        for (var i = 1; i <= 3; i++)
        {
            var report = await device.RunCycleAsync(CancellationToken.None);
            Assert.False(report.Split);
            Assert.Equal(58, report.LastLayerRun);
            Assert.NotNull(report.LocalDetections);
        }
        Assert.Equal(3, device.LocalOnlyCycles);
    }

    [Fact]
    public async Task Server_that_appears_later_is_joined_without_restart()
    {
        using var server = new SciotServerFactory();
        var link = new SwitchableHandler(server.Server.CreateHandler()) { Online = false };
        using var http = new HttpClient(link) { BaseAddress = server.Server.BaseAddress };
        using var device = TestDevices.Create("dev_late", http);

        await device.StartAsync(CancellationToken.None);
        Assert.False(device.IsSplitMode);
        Assert.False((await device.RunCycleAsync(CancellationToken.None)).Split);

        link.Online = true;
        await Task.Delay(20);
        var report = await device.RunCycleAsync(CancellationToken.None);

        Assert.True(device.IsSplitMode);
        Assert.True(report.Split, report.Problem);
        Assert.Equal(1, (await server.CreateClient().ClientAsync("dev_late")).GetProperty("inference_count").GetInt64());
    }

    [Fact]
    public async Task Server_lost_mid_run_is_survived_and_split_mode_resumes()
    {
        using var server = new SciotServerFactory();
        var link = new SwitchableHandler(server.Server.CreateHandler());
        using var http = new HttpClient(link) { BaseAddress = server.Server.BaseAddress };
        using var device = TestDevices.Create("dev_flaky", http);
        await device.StartAsync(CancellationToken.None);
        Assert.True((await device.RunCycleAsync(CancellationToken.None)).Split);

        link.Online = false;
        var offline = await device.RunCycleAsync(CancellationToken.None);
        Assert.False(offline.Split);
        Assert.Contains("connection refused", offline.Problem);
        Assert.False((await device.RunCycleAsync(CancellationToken.None)).Split);

        link.Online = true;
        await Task.Delay(20);
        var back = await device.RunCycleAsync(CancellationToken.None);
        Assert.True(back.Split, back.Problem);
        Assert.Equal(2, device.LocalOnlyCycles);
    }

    [Fact]
    public async Task Real_server_restart_on_the_same_port_keeps_the_client_and_its_model()
    {
        var data = SciotServerFactory.NewTempFolder();
        try
        {
            var first = new SciotServerFactory(data);
            var address = first.StartOnRealPort(TestPorts.FreeBelowEphemeralRange());
            using var http = new HttpClient { BaseAddress = address };
            using var device = TestDevices.Create("dev_restart", http);
            await device.StartAsync(CancellationToken.None);
            Assert.True((await device.RunCycleAsync(CancellationToken.None)).Split);

            first.Dispose();
            Assert.False((await device.RunCycleAsync(CancellationToken.None)).Split);

            using var second = new SciotServerFactory(data);
            second.StartOnRealPort(address.Port);
            await Task.Delay(20);
            var report = await device.RunCycleAsync(CancellationToken.None);
            Assert.True(report.Split, report.Problem);
            var state = await second.CreateClient().ClientAsync("dev_restart");
            Assert.Equal(2, state.GetProperty("inference_count").GetInt64());
        }
        finally
        {
            SciotServerFactory.DeleteFolder(data);
        }
    }
}
