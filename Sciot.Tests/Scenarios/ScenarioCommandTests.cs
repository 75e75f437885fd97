using System.Globalization;
using System.Text.Json;
using Sciot.Client.Commands;
using Sciot.Tests.TestSupport;
using Xunit.Abstractions;

namespace Sciot.Tests.Scenarios;

/// <summary>
/// The scenario command end to end: real servers started as child processes on loopback, real device loops on
/// emulated clocks. The ESP32-S3 scenarios run at full length (300 emulated seconds take ~2 s of wall time); the
/// reference ones at a tenth.
/// </summary>
public class ScenarioCommandTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _out = Directory.CreateTempSubdirectory("sciot-scenarios-").FullName;

    [Fact]
    public async Task Runs_scenarios_and_the_split_follows_the_link()
    {
        var log = new StringWriter();
        var esp32 = await ScenariosCommand.RunAsync(
            ["--only", "esp32s3_wifi,esp32s3_wifi_weak,esp32s3_lte,esp32s3_degrading", "--out", Path.Combine(_out, "esp32")], log);
        var reference = await ScenariosCommand.RunAsync(
            ["--only", "baseline", "--only", "multi_client_network", "--duration-scale", "0.1", "--out", Path.Combine(_out, "reference")], log);
        output.WriteLine(log.ToString());
        Assert.Equal(0, esp32);
        Assert.Equal(0, reference);

        foreach (var (run, names) in new[]
                 {
                     ("esp32", new[] { "esp32s3_wifi", "esp32s3_wifi_weak", "esp32s3_lte", "esp32s3_degrading" }),
                     ("reference", new[] { "baseline", "multi_client_network" }),
                 })
        {
            var folder = Path.Combine(_out, run);
            var summary = File.ReadAllLines(Path.Combine(folder, "summary.csv"));
            Assert.Equal(names.Order(), summary.Skip(1).Select(l => l.Split(',')[0]).Order());
            PngAssert.DecodesAs(Path.Combine(folder, "latency-cdf.png"), 900, 600);
            PngAssert.DecodesAs(Path.Combine(folder, "throughput.png"), 900, 300);
            foreach (var name in names)
            {
                Assert.NotEmpty(Rows(folder, name));
                PngAssert.DecodesAs(Path.Combine(folder, name, "split-timeline.png"), 900, 520);
                PngAssert.DecodesAs(Path.Combine(folder, name, "cost-curve.png"), 900, 520);
                PngAssert.DecodesAs(Path.Combine(folder, name, "layer-times.png"), 900, 520);
                PngAssert.DecodesAs(Path.Combine(folder, name, "detections.png"), 480, 520);
            }
        }

        // The scenario as run carries the scaled duration: 30 s at 0.1.
        using var asRun = JsonDocument.Parse(File.ReadAllText(Path.Combine(_out, "reference", "baseline", "scenario.json")));
        Assert.Equal(3.0, asRun.RootElement.GetProperty("duration_seconds").GetDouble(), 9);
        Assert.Equal(3, Rows(Path.Combine(_out, "reference"), "multi_client_network").Select(r => r.Client).Distinct().Count());

        // Same device, three links: three different cuts once the estimates settle (second half of the run).
        var esp = Path.Combine(_out, "esp32");
        var steady = new[] { "esp32s3_wifi", "esp32s3_wifi_weak", "esp32s3_lte" }.Select(n => Dominant(Rows(esp, n), 150, 300)).ToList();
        output.WriteLine("steady splits wifi / weak / lte: " + string.Join(" / ", steady));
        Assert.Equal(3, steady.Distinct().Count());

        // The link drops at t=150 s: the cut before differs from the cut in the last quarter.
        var degrading = Rows(esp, "esp32s3_degrading");
        var before = Dominant(degrading, 0, 150);
        var after = Dominant(degrading, 225, 300);
        output.WriteLine($"degrading: {before} before the drop, {after} after");
        Assert.NotEqual(before, after);
    }

    [Fact]
    public async Task A_client_without_a_bandwidth_estimate_yet_gets_its_charts_but_no_cost_curve()
    {
        // One cycle (the 1 s pause ends the 0.5 s run): its result carries no upload measurement, so the server has no estimate.
        var folder = WriteScenario("one_cycle", """
            { "name": "one_cycle", "duration_seconds": 0.5, "cycle_interval_ms": 1000, "clients": [ { "device": "none", "link": "loopback" } ] }
            """);

        var exit = await ScenariosCommand.RunAsync(["--scenarios", folder, "--out", Path.Combine(_out, "results")], TextWriter.Null);

        Assert.Equal(0, exit);
        var results = Path.Combine(_out, "results", "one_cycle");
        Assert.Single(Rows(Path.Combine(_out, "results"), "one_cycle"));
        PngAssert.DecodesAs(Path.Combine(results, "split-timeline.png"), 900, 520);
        PngAssert.DecodesAs(Path.Combine(results, "layer-times.png"), 900, 520);
        Assert.False(File.Exists(Path.Combine(results, "cost-curve.png")));
    }

    [Fact]
    public async Task A_group_bandwidth_replaces_the_schedule_of_its_link_profile()
    {
        // degrading's schedule sets 2 MB/s from 0 s on; the group's bandwidth is what the link carries.
        var folder = WriteScenario("fixed_link", """
            { "name": "fixed_link", "duration_seconds": 0.5, "cycle_interval_ms": 1000,
              "clients": [ { "device": "none", "link": "degrading", "bandwidth_bytes_per_second": 12345 } ] }
            """);

        Assert.Equal(0, await ScenariosCommand.RunAsync(["--scenarios", folder, "--out", Path.Combine(_out, "results")], TextWriter.Null));

        var lines = File.ReadAllLines(Path.Combine(_out, "results", "fixed_link", "fixed_link.csv"));
        var column = Array.IndexOf(lines[0].Split(','), "link_bandwidth_bytes_per_s");
        Assert.Equal(["12345"], lines.Skip(1).Select(l => l.Split(',')[column]));
    }

    [Fact]
    public async Task A_scenario_naming_an_unknown_link_profile_is_refused_at_load_naming_file_and_field()
    {
        var folder = WriteScenario("pigeon", """{ "name": "pigeon", "clients": [ { "link": "loopback" }, { "link": "carrier-pigeon" } ] }""");
        var file = Path.Combine(folder, "pigeon.json");

        var e = Assert.Throws<InvalidDataException>(() => Sciot.Client.Scenarios.Scenario.Load(file));

        Assert.Equal($"{file}: clients[1].link: 'carrier-pigeon' is not a link profile (degrading, loopback, lte, wifi, wifi-weak)", e.Message);
        Assert.Equal(2, await ScenariosCommand.RunAsync(["--scenarios", folder, "--out", Path.Combine(_out, "results")], TextWriter.Null));
    }

    /// <summary>A folder of its own holding one scenario file.</summary>
    private string WriteScenario(string name, string json)
    {
        var folder = Directory.CreateDirectory(Path.Combine(_out, "definitions-" + name)).FullName;
        File.WriteAllText(Path.Combine(folder, name + ".json"), json);
        return folder;
    }

    private static int Dominant(IEnumerable<Row> rows, double from, double to) =>
        rows.Where(r => r.Split >= 0 && r.Time >= from && r.Time <= to).GroupBy(r => r.Split).MaxBy(g => g.Count())!.Key;

    private static List<Row> Rows(string folder, string scenario)
    {
        var lines = File.ReadAllLines(Path.Combine(folder, scenario, scenario + ".csv"));
        var header = lines[0].Split(',');
        int At(string column) => Array.IndexOf(header, column);
        return lines.Skip(1).Select(l => l.Split(',')).Select(c => new Row(
            double.Parse(c[At("time_s")], CultureInfo.InvariantCulture), c[At("client_id")], int.Parse(c[At("split")], CultureInfo.InvariantCulture))).ToList();
    }

    private sealed record Row(double Time, string Client, int Split);

    public void Dispose() => Directory.Delete(_out, recursive: true);
}
