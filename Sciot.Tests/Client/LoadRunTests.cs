using Sciot.Client.Load;

namespace Sciot.Tests.Client;

/// <summary>The load command's short version: a server of its own on loopback, 20 devices at mixed cuts for 10 s.</summary>
public sealed class LoadRunTests
{
    [Fact]
    public async Task Twenty_devices_at_mixed_cuts_run_for_ten_seconds_without_errors_and_every_device_completes_cycles()
    {
        var settings = new LoadSettings(20, TimeSpan.FromSeconds(10), 200, LoadSettings.MixedSplits);
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(4));

        var report = await LoadRun.RunAsync(settings, TextWriter.Null, deadline.Token);

        var output = new StringWriter();
        report.Write(output);
        Assert.True(report.Errors == 0, output.ToString());
        Assert.Equal(0, report.RateLimited);
        Assert.Equal(20, report.Devices.Count);
        Assert.All(report.Devices, d =>
        {
            Assert.True(d.Cycles > 0, $"{d.ClientId} completed no cycle");
            // No server problem, so no device fell back to local-only cycles, and every cycle ended with an acknowledged result.
            Assert.Equal(0, d.LocalOnlyCycles);
            Assert.Equal(0, d.FailedCycles);
            Assert.Equal(d.Cycles, d.AcknowledgedResults);
        });
        Assert.Equal(LoadSettings.MixedSplits.Order(), report.Devices.Select(d => d.Split).Distinct().Order());
        Assert.Equal(["GET /api/offloading_layer", "POST /api/device_inference_result", "POST /api/device_input", "POST /api/registration"],
            report.Endpoints.Select(e => e.Name));
        // The run ends between cycles, so every result the server answered was acknowledged by its device.
        var answered = report.Endpoints.Single(e => e.Name == "POST /api/device_inference_result").Requests;
        Assert.Equal(answered, report.Devices.Sum(d => d.AcknowledgedResults));
        Assert.NotNull(report.ServerAfter);
    }
}
