using Sciot.Core.Offloading;

namespace Sciot.Tests.Offloading;

public class OffloadingPlannerTests
{
    /// <summary>The cost model written the obvious O(L²) way, as an independent oracle.</summary>
    private static (int Layer, double[] Costs) BruteForce(double[] device, double[] edge, long[] bytes, double bandwidth)
    {
        var costs = new double[device.Length];
        var best = 0;
        for (var k = 0; k < device.Length; k++)
        {
            double cost = 0;
            for (var i = 0; i <= k; i++)
            {
                cost += device[i];
            }
            cost += bytes[k] / bandwidth;
            for (var i = k + 1; i < device.Length; i++)
            {
                cost += edge[i];
            }
            costs[k] = cost;
            if (cost < costs[best])
            {
                best = k;
            }
        }
        return (best, costs);
    }

    private static int PlanReference(ReferenceLayers reference, double bandwidth) =>
        OffloadingPlanner.Plan(reference.DeviceSeconds, reference.EdgeSeconds, reference.LiveBytes, bandwidth).Layer;

    [Fact]
    public void Matches_brute_force_on_random_inputs()
    {
        var rng = new Random(20240611);
        for (var run = 0; run < 200; run++)
        {
            var layers = rng.Next(1, 80);
            var device = Enumerable.Range(0, layers).Select(_ => rng.NextDouble() * 0.5).ToArray();
            var edge = Enumerable.Range(0, layers).Select(_ => rng.NextDouble() * 0.01).ToArray();
            var bytes = Enumerable.Range(0, layers).Select(_ => rng.NextInt64(0, 500_000)).ToArray();
            var bandwidth = Math.Pow(10, 3 + rng.NextDouble() * 6);

            var plan = OffloadingPlanner.Plan(device, edge, bytes, bandwidth);
            var (expectedLayer, expectedCosts) = BruteForce(device, edge, bytes, bandwidth);

            Assert.True(expectedLayer == plan.Layer, $"run {run}: expected layer {expectedLayer}, got {plan.Layer}");
            Assert.Equal(expectedCosts[expectedLayer], plan.EstimatedSeconds, 1e-9);
            Assert.Equal(layers, plan.CostPerLayer.Length);
            for (var k = 0; k < layers; k++)
            {
                Assert.Equal(expectedCosts[k], plan.CostPerLayer[k], 1e-9);
            }
        }
    }

    [Fact]
    public void Ties_go_to_the_earliest_layer()
    {
        // Every split costs exactly 3 s.
        var plan = OffloadingPlanner.Plan([1.0, 1.0, 1.0], [1.0, 1.0, 1.0], [0L, 0L, 0L], 1);

        Assert.Equal(0, plan.Layer);
        Assert.Equal([3.0, 3.0, 3.0], plan.CostPerLayer);
    }

    [Fact]
    public void Single_layer_model_is_device_only()
    {
        var plan = OffloadingPlanner.Plan([0.5], [0.1], [100L], 1000);

        Assert.Equal(0, plan.Layer);
        Assert.Equal(0.6, plan.EstimatedSeconds, 12);
    }

    [Fact]
    public void Rejects_empty_model()
    {
        Assert.Equal("deviceSeconds", Assert.Throws<ArgumentException>(() => OffloadingPlanner.Plan([], [], [], 1)).ParamName);
    }

    [Fact]
    public void Rejects_mismatched_edge_length()
    {
        Assert.Equal("edgeSeconds", Assert.Throws<ArgumentException>(() => OffloadingPlanner.Plan([1.0], [1.0, 2.0], [1L], 1)).ParamName);
    }

    [Fact]
    public void Rejects_mismatched_bytes_length()
    {
        Assert.Equal("liveBytesAfter", Assert.Throws<ArgumentException>(() => OffloadingPlanner.Plan([1.0], [1.0], [], 1)).ParamName);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-5.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Rejects_bad_bandwidth(double bandwidth)
    {
        Assert.Equal(
            "bandwidthBytesPerSecond",
            Assert.Throws<ArgumentException>(() => OffloadingPlanner.Plan([1.0], [1.0], [1L], bandwidth)).ParamName);
    }

    [Fact]
    public void Rejects_negative_device_time()
    {
        Assert.Equal("deviceSeconds", Assert.Throws<ArgumentException>(() => OffloadingPlanner.Plan([1.0, -0.1], [1.0, 1.0], [1L, 1L], 1)).ParamName);
    }

    [Fact]
    public void Rejects_non_finite_edge_time()
    {
        Assert.Equal("edgeSeconds", Assert.Throws<ArgumentException>(() => OffloadingPlanner.Plan([1.0], [double.NaN], [1L], 1)).ParamName);
    }

    [Fact]
    public void Rejects_negative_bytes()
    {
        Assert.Equal("liveBytesAfter", Assert.Throws<ArgumentException>(() => OffloadingPlanner.Plan([1.0], [1.0], [-1L], 1)).ParamName);
    }

    [Fact]
    public void Reference_figures_describe_59_layers()
    {
        var reference = ReferenceLayers.Load();

        Assert.Equal(59, reference.DeviceSeconds.Length);
        Assert.Equal(59, reference.EdgeSeconds.Length);
        Assert.Equal(59, reference.LiveBytes.Length);
    }

    [Theory]
    [InlineData(10e3, 15)] // after block_1_project: 18 KiB, the smallest tensor before the first skip connection
    [InlineData(100e3, 6)] // after expanded_conv_project: 72 KiB
    [InlineData(1e6, 0)]
    [InlineData(100e6, 0)]
    public void Reference_split_at_bandwidth(double bandwidth, int expected)
    {
        var reference = ReferenceLayers.Load();
        var (bruteForce, _) = BruteForce(reference.DeviceSeconds, reference.EdgeSeconds, reference.LiveBytes, bandwidth);

        var layer = PlanReference(reference, bandwidth);

        Assert.Equal(bruteForce, layer);
        Assert.Equal(expected, layer);
    }

    [Theory]
    [InlineData(100.0)]
    [InlineData(1e3)]
    public void Very_slow_link_keeps_all_but_the_softmax_on_the_device(double bandwidth)
    {
        // logits (57) and softmax (58) both output 1152 bytes and softmax is faster on the edge,
        // so stopping at 57 always beats device-only 58 with these figures.
        Assert.Equal(57, PlanReference(ReferenceLayers.Load(), bandwidth));
    }

    [Fact]
    public void Very_slow_link_runs_device_only_when_the_last_layer_is_slower_on_the_edge()
    {
        var reference = ReferenceLayers.Load();
        var edge = (double[])reference.EdgeSeconds.Clone();
        edge[^1] = 2 * reference.DeviceSeconds[^1];

        var plan = OffloadingPlanner.Plan(reference.DeviceSeconds, edge, reference.LiveBytes, 1e3);

        Assert.Equal(58, plan.Layer);
        Assert.Equal(reference.DeviceSeconds.Sum() + 1152 / 1e3, plan.EstimatedSeconds, 9);
    }

    [Fact]
    public void Very_fast_link_splits_after_the_first_layer()
    {
        Assert.Equal(0, PlanReference(ReferenceLayers.Load(), 10e9));
    }

    [Fact]
    public void Split_moves_earlier_as_bandwidth_grows()
    {
        var reference = ReferenceLayers.Load();
        double[] bandwidths = [100, 1e3, 10e3, 30e3, 100e3, 300e3, 1e6, 100e6, 10e9];

        var layers = bandwidths.Select(b => PlanReference(reference, b)).ToArray();

        for (var i = 1; i < layers.Length; i++)
        {
            Assert.True(layers[i] <= layers[i - 1], $"split went from {layers[i - 1]} to {layers[i]} at {bandwidths[i]} B/s");
        }
        Assert.True(layers[0] > layers[^1]);
    }
}
