using Sciot.Core.Models.Building;
using Sciot.Core.Splitting;
using Sciot.Tests.TestSupport;

namespace Sciot.Tests.Splitting;

public sealed class SplitEquivalenceTests(ShippedModelFixture models) : IClassFixture<ShippedModelFixture>
{
    private const float Tolerance = 1e-4f;

    [Theory]
    [InlineData(ShippedModels.Fomo, 59)]
    [InlineData(ShippedModels.MobileNetLite, 38)]
    public void Head_then_tail_equals_full_model_at_every_cut(string name, int expectedLayers)
    {
        var split = models.Split(name);
        Assert.Equal(expectedLayers, split.Graph.Layers.Count);
        for (var seed = 1; seed <= 3; seed++)
        {
            var input = ShippedModelFixture.RandomInput(split.Graph, seed);
            var full = split.RunFull([input]);
            for (var k = -1; k <= split.Graph.LastLayer; k++)
            {
                var live = split.RunHead(k, [input]);
                Assert.Equal(split.Graph.Cut(k).LiveNames, live.Select(t => t.Name));
                var output = split.RunTail(k, live);
                var diff = ShippedModelFixture.MaxAbsDiff(full, output);
                Assert.True(diff <= Tolerance, $"{name} cut {k}: max abs diff {diff}");
                var handedOver = ShippedModelFixture.MaxAbsDiff(full, split.RunSplit(k, [input]));
                Assert.True(handedOver <= Tolerance, $"{name} RunSplit cut {k}: max abs diff {handedOver}");
            }
        }
    }

    [Fact]
    public void Outputs_depend_on_the_input()
    {
        var split = models.Split(ShippedModels.Fomo);
        var a = split.RunFull([ShippedModelFixture.RandomInput(split.Graph, 1)]);
        var b = split.RunFull([ShippedModelFixture.RandomInput(split.Graph, 2)]);
        Assert.True(ShippedModelFixture.MaxAbsDiff(a, b) > 1e-3f);
    }

    [Theory]
    [InlineData(ShippedModels.Fomo)]
    [InlineData(ShippedModels.MobileNetLite)]
    public void Layerwise_runner_matches_fused_head_and_times_each_layer(string name)
    {
        var split = models.Split(name);
        var runner = new LayerwiseHeadRunner(split);
        var input = ShippedModelFixture.RandomInput(split.Graph, 7);
        foreach (var k in new[] { -1, 0, 11, 17, 24, 25, split.Graph.LastLayer - 3, split.Graph.LastLayer })
        {
            var result = runner.Run(k, input);
            Assert.Equal(k + 1, result.LayerSeconds.Length);
            Assert.All(result.LayerSeconds, s => Assert.True(s > 0));
            var fused = split.RunHead(k, [input]);
            Assert.True(ShippedModelFixture.MaxAbsDiff(fused, result.LiveTensors) <= Tolerance, $"{name} layerwise cut {k}");
        }
    }

    [Fact]
    public void Ungrouped_graph_splits_correctly_node_by_node()
    {
        var package = models.Catalog.Get(ShippedModels.Fomo);
        var graph = ModelGraph.Create(package.Graph.Model);
        Assert.Equal(package.Graph.Model.Graph.Node.Count, graph.Layers.Count);
        using var split = new SplitModel(graph);
        var input = ShippedModelFixture.RandomInput(graph, 3);
        var full = split.RunFull([input]);
        foreach (var k in new[] { 0, 20, 40, 56, graph.LastLayer })
        {
            var output = split.RunTail(k, split.RunHead(k, [input]));
            Assert.True(ShippedModelFixture.MaxAbsDiff(full, output) <= Tolerance);
        }
    }
}
