using Microsoft.Extensions.Configuration;
using Sciot.Client.Device;
using Sciot.Client.Scenarios;
using Sciot.Core.Models;
using Sciot.Core.Offloading;
using Sciot.Core.Offloading.CostModel;
using Sciot.Tests.TestSupport;

namespace Sciot.Tests.Client;

public class EmulationTests
{
    private static ModelPackage Lite => ModelPackage.Load(Path.Combine(RepoPaths.Models, "mobilenet_lite"));

    [Fact]
    public void Esp32s3_profile_reports_cost_model_times_for_mobilenet_lite_times_the_slowdown()
    {
        var options = new DeviceEmulationOptions { Profile = "esp32-s3", SlowdownFactor = 2 };
        var emulator = DeviceEmulator.Create(options, RepoPaths.Models);
        var expected = Esp32S3CostModel.Fit(RepoPaths.Models).Predict(Lite.Graph);

        var reported = emulator.Emulate(Lite, new double[10]);

        Assert.Equal(expected.Take(10).Select(s => s * 2), reported, (a, b) => Math.Abs(a - b) < 1e-12);
    }

    [Fact]
    public void Compute_jitter_varies_each_layer_by_its_coefficient_of_variation()
    {
        var emulator = new DeviceEmulator(new DeviceEmulationOptions { ComputeJitter = 0.2 }, null);
        var measured = Enumerable.Repeat(0.01, 5000).ToArray();

        var reported = emulator.Emulate(Lite, measured);

        var mean = reported.Average();
        var cv = Math.Sqrt(reported.Average(r => (r - mean) * (r - mean))) / mean;
        Assert.Equal(0.01, mean, 3);
        Assert.Equal(0.2, cv, 1);
    }

    [Fact]
    public void Link_profiles_ship_with_the_documented_bandwidths()
    {
        Assert.Equal(["degrading", "loopback", "lte", "wifi", "wifi-weak"], LinkProfiles.Names());
        Assert.Equal(2_000_000, LinkProfiles.Load("wifi").BandwidthBytesPerSecond);
        Assert.Equal(80_000, LinkProfiles.Load("wifi-weak").BandwidthBytesPerSecond);
        var lte = LinkProfiles.Load("lte");
        Assert.Equal((30_000d, DelayKind.Gaussian, 0.030, 0.010), (lte.BandwidthBytesPerSecond, lte.Latency.Kind, lte.Latency.Mean, lte.Latency.StdDev));
        var ex = Assert.Throws<FileNotFoundException>(() => LinkProfiles.Load("carrier-pigeon"));
        Assert.Contains("wifi-weak", ex.Message);
    }

    [Fact]
    public void Degrading_link_drops_at_60_s_and_repeats_every_120_s()
    {
        var link = new LinkEmulator(LinkProfiles.Load("degrading"), TimeProvider.System);

        Assert.Equal(2_000_000, link.BandwidthAt(59.9));
        Assert.Equal(50_000, link.BandwidthAt(60));
        Assert.Equal(50_000, link.BandwidthAt(119));
        Assert.Equal(2_000_000, link.BandwidthAt(121));
    }

    [Fact]
    public void Link_delay_is_latency_plus_bytes_over_bandwidth_and_follows_the_clock()
    {
        var options = new LinkOptions
        {
            BandwidthBytesPerSecond = 100_000,
            Latency = new DelaySettings { Kind = DelayKind.Static, Mean = 0.03 },
            Schedule = [new LinkStep { AtSeconds = 10, BandwidthBytesPerSecond = 10_000 }],
        };
        var clock = new EmulatedClock();
        var link = new LinkEmulator(options, clock);

        Assert.Equal(0.03 + 0.5, link.DelayFor(50_000).TotalSeconds, 6);
        clock.Advance(10);
        Assert.Equal(0.03 + 5, link.DelayFor(50_000).TotalSeconds, 6);
    }

    [Fact]
    public void A_link_profile_gives_defaults_that_explicit_settings_override()
    {
        var config = new ConfigurationManager();
        config.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [LinkProfiles.ProfileKey] = "degrading",
            ["Sciot:Device:Link:BandwidthBytesPerSecond"] = "12345",
        });

        LinkProfiles.AddAsDefaults(config);
        var link = config.GetSection("Sciot:Device:Link").Get<LinkOptions>()!;

        Assert.Equal(12345, link.BandwidthBytesPerSecond);
        Assert.Equal(0.005, link.Latency.Mean);
        Assert.Equal(0.05, link.BandwidthJitter);
        // The profile's schedule would set 2 MB/s from 0 s on: an explicit bandwidth replaces it.
        Assert.Empty(link.Schedule);
        Assert.Equal(12345, new LinkEmulator(link, TimeProvider.System).CurrentBandwidth);
    }

    [Fact]
    public void Scenario_files_parse_and_a_bad_one_names_file_and_field()
    {
        var shipped = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Scenarios", "Definitions"), "*.json").Select(Scenario.Load).ToList();
        Assert.Equal(15, shipped.Count);
        Assert.Equal(20, shipped.Single(s => s.Name == "fleet_20_least_loaded").ClientCount);

        var bad = Path.Combine(Path.GetTempPath(), $"bad-scenario-{Guid.NewGuid():N}.json");
        File.WriteAllText(bad, """{ "name": "x", "clients": [ { "count": 1, "device": "esp32-c3" } ] }""");
        var typo = bad + ".typo.json";
        File.WriteAllText(typo, """{ "name": "x", "duration": 3, "clients": [ {} ] }""");
        try
        {
            var ex = Assert.Throws<InvalidDataException>(() => Scenario.Load(bad));
            Assert.Contains(bad, ex.Message);
            Assert.Contains("clients[0].device", ex.Message);
            Assert.Contains("duration", Assert.Throws<InvalidDataException>(() => Scenario.Load(typo)).Message);
        }
        finally
        {
            File.Delete(bad);
            File.Delete(typo);
        }
    }

    [Fact]
    public void Scaling_a_scenario_scales_its_duration_events_and_link_schedules()
    {
        var scenario = new Scenario
        {
            Name = "s",
            DurationSeconds = 100,
            Clients = [new ClientGroup()],
            Events = [new ScenarioEvent { AtSeconds = 40, ComputeJitter = 0.5 }],
        };

        var scaled = scenario.Scaled(0.1);

        Assert.Equal((10d, 4d, 0.1), (scaled.DurationSeconds, scaled.Events[0].AtSeconds, scaled.Clients[0].TimeScale));
        Assert.Equal(100, scenario.DurationSeconds);
    }
}
