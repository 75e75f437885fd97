using Sciot.Core.Offloading;

namespace Sciot.Tests.Offloading;

public class LayerVarianceMonitorTests
{
    private static IReadOnlyList<int> Feed(LayerVarianceMonitor monitor, int rounds, Func<int, int, double> sample)
    {
        IReadOnlyList<int> flagged = [];
        for (var round = 0; round < rounds; round++)
        {
            var samples = Enumerable.Range(0, monitor.LayerCount).Select(layer => sample(round, layer)).ToArray();
            flagged = monitor.AddSamples(samples);
        }
        return flagged;
    }

    [Fact]
    public void Stable_layers_are_not_flagged()
    {
        var monitor = new LayerVarianceMonitor(5);

        Assert.Empty(Feed(monitor, 20, (_, layer) => 0.01 * (layer + 1)));
    }

    [Fact]
    public void Unstable_layer_flags_itself_and_the_next_one()
    {
        var monitor = new LayerVarianceMonitor(5);

        var flagged = Feed(monitor, 10, (round, layer) => layer == 1 && round % 2 == 0 ? 0.05 : 0.01);

        Assert.Equal([1, 2], flagged);
    }

    [Fact]
    public void Cascade_stops_at_the_last_layer_and_is_not_duplicated()
    {
        var monitor = new LayerVarianceMonitor(4);

        var flagged = Feed(monitor, 10, (round, layer) => layer is 2 or 3 && round % 2 == 0 ? 0.05 : 0.01);

        Assert.Equal([2, 3], flagged);
    }

    [Fact]
    public void Shorter_reports_update_only_the_layers_the_device_ran()
    {
        var monitor = new LayerVarianceMonitor(5);

        for (var round = 0; round < 10; round++)
        {
            monitor.AddSamples([0.01, 0.02]);
        }

        Assert.Equal(10, monitor.Layers[1].Count);
        Assert.Equal(0, monitor.Layers[2].Count);
    }

    [Fact]
    public void More_samples_than_layers_are_rejected()
    {
        var monitor = new LayerVarianceMonitor(2);

        Assert.Equal("perLayerSeconds", Assert.Throws<ArgumentException>(() => monitor.AddSamples([1.0, 1.0, 1.0])).ParamName);
    }
}
