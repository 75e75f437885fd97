using Sciot.Core.Evaluation;
using Sciot.Core.Imaging;
using Sciot.Core.Models.Building;
using Sciot.Tests.Server.Logging;
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
    public async Task Scores_each_server_prediction_reports_it_with_the_next_result_and_logs_the_window()
    {
        var options = TestDevices.FastOptions();
        options.Quality = new() { Window = 2, LogEveryCycles = 2 };
        var log = new CapturingLoggerProvider();
        using var device = TestDevices.Create("dev_quality", _server.CreateClient(), options, logger: log.CreateLogger("device"));
        await device.StartAsync(CancellationToken.None);

        var scores = new List<DetectionMatchResult>();
        for (var i = 0; i < 4; i++)
        {
            var report = await device.RunCycleAsync(CancellationToken.None);
            Assert.True(report.Split, report.Problem);
            scores.Add(report.Accuracy!);
        }

        // The server has heard the scores of the first three predictions (the fourth goes with the next result).
        var reported = scores.Take(3).Aggregate(DetectionQuality.None, (q, s) => q.Add(s));
        var quality = (await _server.CreateClient().ClientAsync("dev_quality")).GetProperty("detection_quality");
        Assert.Equal(3, quality.GetProperty("evaluated_frames").GetInt64());
        Assert.Equal(reported.TruePositives, quality.GetProperty("true_positives").GetInt64());
        Assert.Equal(reported.FalsePositives, quality.GetProperty("false_positives").GetInt64());
        Assert.Equal(reported.FalseNegatives, quality.GetProperty("false_negatives").GetInt64());
        Assert.Equal(reported.Precision, quality.GetProperty("precision").GetDouble(), 12);
        // The device's own window holds its last two cycles, logged after cycles 2 and 4.
        var window = scores.Skip(2).Aggregate(DetectionQuality.None, (q, s) => q.Add(s));
        Assert.Equal(window, device.RecentQuality);
        var lines = log.Lines.Where(l => l.Contains("detection quality over the last")).ToList();
        Assert.Equal(2, lines.Count);
        Assert.Contains($"precision {window.Precision:F3} recall {window.Recall:F3}", lines[1]);
    }

    [Fact]
    public async Task Follows_a_forced_decision_and_runs_exactly_layers_0_to_k()
    {
        using var device = TestDevices.Create("dev_forced", _server.CreateClient());
        await device.StartAsync(CancellationToken.None);
        await device.RunCycleAsync(CancellationToken.None);
        var told = (await _server.CreateClient().ClientAsync("dev_forced")).GetProperty("current_split").GetInt32();

        await _server.CreateOperatorClient().ForceLayerAsync("dev_forced", 12);
        // The device first runs the decision its last result brought; the result of that cycle brings the forced one.
        var pending = await device.RunCycleAsync(CancellationToken.None);
        Assert.Equal(told, pending.Decision);
        var before = (await _server.CreateClient().ClientAsync("dev_forced")).GetProperty("device_samples");
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
            // A device reports each upload with its next result: only the second result tells the server the link.
            await device.RunCycleAsync(CancellationToken.None);
        }
        var http = _server.CreateClient();
        foreach (var id in new[] { "dev_pc", "dev_esp32" })
        {
            // The device reports the emulated 50 KB/s delay plus the in-process HTTP time, so never more than the link's rate.
            var bandwidth = (await http.ClientAsync(id)).GetProperty("bandwidth_bytes_per_second").GetDouble();
            Assert.True(bandwidth <= 50_000, $"{id}: {bandwidth} B/s");
        }
        var pcLayer = (await http.DecisionAsync("dev_pc")).Layer;
        var mcuLayer = (await http.DecisionAsync("dev_esp32")).Layer;
        // A PC computes every layer in microseconds, so on a slow link it keeps almost everything local; an ESP32-S3
        // needs ~5 s for the whole model, so sending an early tensor wins.
        Assert.True(pcLayer >= 50, $"PC split at {pcLayer}");
        Assert.True(mcuLayer <= 20, $"ESP32-S3 split at {mcuLayer}");
        Assert.NotEqual(pcLayer, mcuLayer);
    }

    [Fact]
    public async Task A_cycle_that_fails_on_the_device_is_counted_and_retried_and_the_loop_goes_on()
    {
        var frames = new FailingFrameSource(new Sciot.Client.Frames.SyntheticFrameSource(3), failingCall: 3);
        using var device = TestDevices.Create("dev_flaky", _server.CreateClient(), frames: frames);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var loop = device.RunAsync(stop.Token);
        while (device.Cycles < 4)
        {
            Assert.False(loop.IsCompleted, loop.Exception?.ToString());
            await Task.Delay(20, stop.Token);
        }
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => loop);

        Assert.Equal(1, device.FailedCycles);
        Assert.True(device.IsSplitMode);
    }

    [Fact]
    public async Task Virtual_devices_of_one_process_share_one_runtime_per_model()
    {
        using var models = new Sciot.Client.Device.DeviceModelCache();
        var devices = Enumerable.Range(0, 3).Select(i => TestDevices.Create($"dev_shared_{i}", _server.CreateClient(), models: models)).ToList();
        foreach (var device in devices)
        {
            await device.StartAsync(CancellationToken.None);
            await device.RunCycleAsync(CancellationToken.None);
        }

        Assert.Equal(1, models.Count);
        Assert.All(devices, d => Assert.Equal(ShippedModels.Fomo, d.ModelName));
        devices.ForEach(d => d.Dispose());
    }

    /// <summary>A camera whose n-th read fails with an I/O error, as a loose connector would.</summary>
    private sealed class FailingFrameSource(Sciot.Client.Frames.IFrameSource inner, int failingCall) : Sciot.Client.Frames.IFrameSource
    {
        private int _calls;

        public Sciot.Client.Frames.Frame Next(int width, int height) =>
            ++_calls == failingCall ? throw new IOException("camera read failed") : inner.Next(width, height);
    }

    public void Dispose() => _server.Dispose();
}
