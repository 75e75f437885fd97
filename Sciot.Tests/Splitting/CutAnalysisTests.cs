using System.Globalization;
using Sciot.Core.Models.Building;
using Sciot.Tests.TestSupport;

namespace Sciot.Tests.Splitting;

public sealed class CutAnalysisTests(ShippedModelFixture models) : IClassFixture<ShippedModelFixture>
{
    private sealed record ReferenceRow(int Index, string Name, string Type, string ShapeHwc, long Bytes, int[] Live, long LiveBytes);

    private static List<ReferenceRow> ReadReference()
    {
        var lines = File.ReadAllLines(RepoPaths.ReferenceLayersCsv);
        var header = lines[0].Split(',').ToList();
        int Col(string name) => header.IndexOf(name) is var i and >= 0 ? i : throw new InvalidOperationException($"column {name} missing");
        return lines.Skip(1).Where(l => l.Length > 0).Select(l => l.Split(',')).Select(c => new ReferenceRow(
            int.Parse(c[Col("index")], CultureInfo.InvariantCulture),
            c[Col("layer_name")],
            c[Col("layer_type")],
            c[Col("output_shape_hwc")],
            long.Parse(c[Col("output_bytes_f32")], CultureInfo.InvariantCulture),
            c[Col("live_after_cut")].Split(';').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray(),
            long.Parse(c[Col("live_bytes_f32")], CultureInfo.InvariantCulture))).ToList();
    }

    /// <summary>
    /// The reference head has background + 1 class; ours has background + 2 (DemoClasses), so the channel count of the two
    /// class layers (logits, softmax) is scaled. Everything else must match the CSV exactly.
    /// </summary>
    private static (string Shape, long Bytes) ExpectedForOurHead(ReferenceRow row, string shape, long bytes)
    {
        if (row.Name is not ("logits" or "softmax"))
        {
            return (shape, bytes);
        }
        var classes = ShippedModels.DemoClasses.Count;
        var parts = shape.Split('x');
        var channels = int.Parse(parts[2], CultureInfo.InvariantCulture);
        return ($"{parts[0]}x{parts[1]}x{classes}", bytes / channels * classes);
    }

    [Fact]
    public void Fomo_layers_match_the_reference_csv()
    {
        var graph = models.Catalog.Get(ShippedModels.Fomo).Graph;
        var manifest = models.Catalog.Get(ShippedModels.Fomo).Manifest;
        var reference = ReadReference();
        Assert.Equal(59, reference.Count);
        Assert.Equal(reference.Count, graph.Layers.Count);
        Assert.Equal(58, manifest.LastOffloadingLayer);
        foreach (var row in reference)
        {
            var layer = manifest.Layers[row.Index];
            Assert.Equal(row.Name, layer.Name);
            Assert.Equal(row.Type, layer.Type);
            var (shape, bytes) = ExpectedForOurHead(row, row.ShapeHwc, row.Bytes);
            Assert.Equal(shape, layer.ShapeHwc);
            Assert.Equal(bytes, layer.OutputBytes);
        }
    }

    [Fact]
    public void Fomo_live_tensors_match_the_reference_csv_at_every_cut()
    {
        var graph = models.Catalog.Get(ShippedModels.Fomo).Graph;
        var reference = ReadReference();
        var twoTensorCuts = 0;
        foreach (var row in reference)
        {
            var cut = graph.Cut(row.Index);
            Assert.Equal(row.Live, cut.LiveTensors.Select(t => t.ProducerLayer).ToArray());
            var expectedBytes = row.Name is "logits" or "softmax" ? ExpectedForOurHead(row, row.ShapeHwc, row.LiveBytes).Bytes : row.LiveBytes;
            Assert.Equal(expectedBytes, cut.LiveBytes);
            twoTensorCuts += cut.LiveTensors.Count == 2 ? 1 : 0;
        }
        Assert.Equal(reference.Count(r => r.Live.Length == 2), twoTensorCuts);
        Assert.Equal(24, twoTensorCuts);
    }

    [Fact]
    public void Cut_before_the_first_layer_is_the_input_and_chain_cuts_hold_one_tensor()
    {
        var fomo = models.Catalog.Get(ShippedModels.Fomo).Graph;
        var before = fomo.Cut(-1);
        Assert.Equal(["input"], before.LiveNames);
        Assert.Equal(96 * 96 * 3 * 4, before.LiveBytes);
        Assert.Equal(-1, before.LiveTensors[0].ProducerLayer);

        var lite = models.Catalog.Get(ShippedModels.MobileNetLite).Graph;
        for (var k = -1; k <= lite.LastLayer; k++)
        {
            Assert.Single(lite.Cut(k).LiveTensors);
        }
    }

    [Theory]
    [InlineData(-2)]
    [InlineData(59)]
    public void Cut_out_of_range_names_the_valid_range(int k)
    {
        var graph = models.Catalog.Get(ShippedModels.Fomo).Graph;
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => graph.Cut(k));
        Assert.Contains("-1..58", e.Message);
    }
}
