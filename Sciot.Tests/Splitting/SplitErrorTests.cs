using Sciot.Core.Models.Building;
using Sciot.Core.Splitting;
using Sciot.Core.Tensors;
using Sciot.Tests.TestSupport;

namespace Sciot.Tests.Splitting;

public sealed class SplitErrorTests(ShippedModelFixture models) : IClassFixture<ShippedModelFixture>
{
    private SplitModel Fomo => models.Split(ShippedModels.Fomo);

    [Fact]
    public void Wrong_input_shape_is_rejected_with_both_shapes()
    {
        var bad = new NamedTensor("input", [1, 3, 64, 64], new float[3 * 64 * 64]);
        var e = Assert.Throws<ArgumentException>(() => Fomo.RunFull([bad]));
        Assert.Contains("[1,3,64,64]", e.Message);
        Assert.Contains("[1,3,96,96]", e.Message);
    }

    [Fact]
    public void Data_length_not_matching_shape_is_rejected()
    {
        var bad = new NamedTensor("input", [1, 3, 96, 96], new float[10]);
        var e = Assert.Throws<ArgumentException>(() => Fomo.RunHead(3, [bad]));
        Assert.Contains("holds 10 values", e.Message);
    }

    [Fact]
    public void Unknown_tensor_name_lists_the_expected_tensors()
    {
        var live = Fomo.RunHead(5, [ShippedModelFixture.RandomInput(Fomo.Graph, 1)]);
        var renamed = live.Select(t => t with { Name = "nope" }).ToList();
        var e = Assert.Throws<ArgumentException>(() => Fomo.RunTail(5, renamed));
        Assert.Contains("unknown tensor 'nope'", e.Message);
        Assert.Contains(Fomo.Graph.Cut(5).LiveNames.Single(), e.Message);
    }

    [Fact]
    public void Missing_live_tensor_at_a_residual_cut_is_named()
    {
        var cut = Fomo.Graph.Cut(20);
        Assert.Equal(2, cut.LiveTensors.Count);
        var live = Fomo.RunHead(20, [ShippedModelFixture.RandomInput(Fomo.Graph, 1)]);
        var e = Assert.Throws<ArgumentException>(() => Fomo.RunTail(20, [live[1]]));
        Assert.Contains("missing: " + live[0].Name, e.Message);
    }

    [Fact]
    public void Out_of_range_cut_is_rejected_by_runners()
    {
        var input = ShippedModelFixture.RandomInput(Fomo.Graph, 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => Fomo.RunHead(59, [input]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Fomo.RunTail(-2, [input]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LayerwiseHeadRunner(Fomo).Run(100, input));
        Assert.Throws<ArgumentOutOfRangeException>(() => SubmodelExtractor.Tail(Fomo.Graph, 58));
    }

    [Fact]
    public void Session_cache_stays_within_capacity_and_still_runs()
    {
        var graph = Fomo.Graph;
        using var small = new SplitModel(graph, new SplitRuntimeOptions { SessionCacheCapacity = 3 });
        var input = ShippedModelFixture.RandomInput(graph, 4);
        var full = small.RunFull([input]);
        foreach (var k in new[] { 10, 20, 30, 10 })
        {
            Assert.True(ShippedModelFixture.MaxAbsDiff(full, small.RunTail(k, small.RunHead(k, [input]))) <= 1e-4f);
            Assert.True(small.Sessions.Count <= 3);
        }
        Assert.True(small.Sessions.CreatedCount > 3);
    }
}
