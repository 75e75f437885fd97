using Sciot.Core.Charts;
using Sciot.Core.Imaging;
using Sciot.Tests.Offloading;
using Sciot.Tests.TestSupport;

namespace Sciot.Tests.Charts;

/// <summary>
/// Every chart renders to a PNG of the asked size with something drawn. The PNGs are also written to
/// <c>$TMPDIR/sciot-chart-tests/</c> so a person can look at them after a test run.
/// </summary>
public class ChartRenderingTests
{
    private static readonly string OutFolder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "sciot-chart-tests")).FullName;

    private static byte[] Keep(string name, byte[] png)
    {
        File.WriteAllBytes(Path.Combine(OutFolder, name + ".png"), png);
        return png;
    }

    [Fact]
    public void LayerTimes_FromReferenceFigures()
    {
        var reference = ReferenceLayers.Load();
        var layers = reference.DeviceSeconds.Select((d, i) => new LayerCost($"l{i}", d, reference.EdgeSeconds[i], reference.LiveBytes[i])).ToList();

        var png = Keep("layer-times", LayerTimesChart.Render("fomo_96x96", layers, 900, 500));

        PngAssert.DecodesAs(png, 900, 500);
    }

    [Fact]
    public void SplitTimeline_WithBandwidth()
    {
        double[] t = [0, 5, 10, 15, 20, 25, 30];
        var png = Keep("split-timeline", SplitTimelineChart.Render("degrading",
            [new TimeSeries("dev1", t, [-1, 10, 10, 10, 40, 58, 58]), new TimeSeries("dev2", t, [-1, 12, 12, 20, 20, 50, 58])],
            [new TimeSeries("link", [0, 15, 15.01, 30], [2e6, 2e6, 5e4, 5e4])], 800, 450));

        PngAssert.DecodesAs(png, 800, 450);
    }

    [Fact]
    public void LatencyCdf_PerScenario()
    {
        var rng = new Random(3);
        var png = Keep("latency-cdf", LatencyCdfChart.Render("end-to-end latency",
            [
                new NamedSamples("baseline", [.. Enumerable.Range(0, 200).Select(_ => 0.005 + rng.NextDouble() * 0.002)]),
                new NamedSamples("esp32_lte", [.. Enumerable.Range(0, 50).Select(_ => 1.5 + rng.NextDouble())]),
                new NamedSamples("empty", []),
            ], 800, 450));

        PngAssert.DecodesAs(png, 800, 450);
    }

    [Fact]
    public void Throughput_PerScenario()
    {
        var png = Keep("throughput", ThroughputChart.Render("throughput",
            [("baseline", 40.5), ("network_delay_50ms", 12.25), ("esp32s3_lte", 0.4)], 700, 400));

        PngAssert.DecodesAs(png, 700, 400);
    }

    [Fact]
    public void CostCurve_MarksTheChosenCutInRed()
    {
        double[] costs = [0.9, 0.5, 0.3, 0.45, 0.8, 1.2];

        var marked = PngAssert.DecodesAs(Keep("cost-curve", CostCurveChart.Render("cost", costs, 2, 600, 400)), 600, 400);

        Assert.True(PngAssert.RedPixels(marked) > 100, "the chosen k is drawn as a red marker");
    }

    [Fact]
    public void CostCurve_RejectsAChosenCutOutsideTheCurve()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CostCurveChart.Render("cost", [0.1, 0.2], 2, 600, 400));
        Assert.Throws<ArgumentOutOfRangeException>(() => CostCurveChart.Render("cost", [0.1, 0.2], 0, 10, 400));
    }

    [Fact]
    public void DetectionFrame_DrawsDetectionsInRedOnlyWhenThereAreSome()
    {
        var generator = new SyntheticSceneGenerator(96, 96, ["circle", "square"], seed: 5);
        var scene = Enumerable.Range(0, 20).Select(_ => generator.Next()).First(s => s.Objects.Count >= 2);
        var detections = scene.Objects.Select(o => new Detection(o.ClassIndex, o.ClassName, o.CenterX, o.CenterY, 0.9f, 2)).ToList();

        var with = PngAssert.DecodesAs(Keep("detections", DetectionFrameChart.Render("frame", scene.Image, detections, scene.Objects, 480, 480)), 480, 480);
        var without = PngAssert.DecodesAs(DetectionFrameChart.Render("frame", scene.Image, [], null, 480, 480), 480, 480);

        Assert.NotEmpty(detections);
        Assert.True(PngAssert.RedPixels(with) > PngAssert.RedPixels(without) + 100, "rings are drawn at the detections");
    }
}
