using Sciot.Core.Models.Building;
using Sciot.Tests.TestSupport;

namespace Sciot.Tests.Client;

public sealed class DeviceRunnerTests : IDisposable
{
    private readonly SciotServerFactory _server = new();

    [Fact]
    public async Task Registers_gets_a_model_and_runs_split_cycles_reporting_every_layer_time()
    {
        using var device = TestDevices.Create("dev_loop", _server.CreateClient());
        await device.StartAsync(CancellationToken.None);
        Assert.True(device.IsSplitMode);
        Assert.Equal(ShippedModels.Fomo, device.ModelName);

        var first = await device.RunCycleAsync(CancellationToken.None);
        Assert.True(first.Split);
        Assert.Equal(-1, first.Decision);
        Assert.Equal(58, first.LastLayerRun);
        Assert.Equal(59, first.ReportedLayerSeconds.Length);
        for (var i = 0; i < 3; i++)
        {
            var report = await device.RunCycleAsync(CancellationToken.None);
            Assert.True(report.Split, report.Problem);
            Assert.Equal(report.LastLayerRun + 1, report.ReportedLayerSeconds.Length);
            Assert.NotNull(report.ServerPrediction);
        }
        var state = await _server.CreateClient().ClientAsync("dev_loop");
        Assert.Equal(4, state.GetProperty("inference_count").GetInt64());
        Assert.Equal(4, state.GetProperty("frames_received").GetInt64());
        Assert.Equal(59, state.GetProperty("device_seconds_ema").GetArrayLength());
    }

    [Fact]
    public async Task Follows_a_forced_decision_and_runs_exactly_layers_0_to_k()
    {
        using var device = TestDevices.Create("dev_forced", _server.CreateClient());
        await device.StartAsync(CancellationToken.None);
        await device.RunCycleAsync(CancellationToken.None);
        var before = (await _server.CreateClient().ClientAsync("dev_forced")).GetProperty("device_samples");

        await _server.CreateOperatorClient().ForceLayerAsync("dev_forced", 12);
        var report = await device.RunCycleAsync(CancellationToken.None);

        Assert.True(report.Split, report.Problem);
        Assert.Equal(12, report.Decision);
        Assert.Equal(12, report.LastLayerRun);
        Assert.Equal(13, report.ReportedLayerSeconds.Length);
        var after = (await _server.CreateClient().ClientAsync("dev_forced")).GetProperty("device_samples");
        for (var layer = 0; layer < 59; layer++)
        {
            var added = after[layer].GetInt64() - before[layer].GetInt64();
            Assert.Equal(layer <= 12 ? 1 : 0, added);
        }
    }

    [Fact]
    public async Task Device_profile_and_slow_link_move_the_decision()
    {
        var slowLink = new Sciot.Client.Device.LinkOptions { BandwidthBytesPerSecond = 50_000 };
        var plain = TestDevices.FastOptions();
        plain.Link = slowLink;
        var esp32 = TestDevices.FastOptions();
        esp32.Link = slowLink;
        esp32.Emulation.Profile = "esp32-s3";
        using var pc = TestDevices.Create("dev_pc", _server.CreateClient(), plain);
        using var mcu = TestDevices.Create("dev_esp32", _server.CreateClient(), esp32);
        foreach (var device in new[] { pc, mcu })
        {
            await device.StartAsync(CancellationToken.None);
            var refresh = await device.RunCycleAsync(CancellationToken.None);
            Assert.Equal(-1, refresh.Decision);
        }
        var http = _server.CreateClient();
        var pcLayer = (await http.DecisionAsync("dev_pc")).Layer;
        var mcuLayer = (await http.DecisionAsync("dev_esp32")).Layer;
        // A PC computes every layer in microseconds, so on a slow link it keeps almost everything local; an ESP32-S3
        // needs ~5 s for the whole model, so sending an early tensor wins.
        Assert.True(pcLayer >= 50, $"PC split at {pcLayer}");
        Assert.True(mcuLayer <= 20, $"ESP32-S3 split at {mcuLayer}");
        Assert.NotEqual(pcLayer, mcuLayer);
    }

    public void Dispose() => _server.Dispose();
}
