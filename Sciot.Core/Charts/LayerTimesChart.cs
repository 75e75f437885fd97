using ScottPlot;

namespace Sciot.Core.Charts;

/// <summary>
/// Per-layer device time against edge time (left axis) and the bytes that cross the link at each cut (right axis),
/// both log scale: where the lines meet and the bytes dip is where a split pays.
/// </summary>
public static class LayerTimesChart
{
    public static byte[] Render(string modelName, IReadOnlyList<LayerCost> layers, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(layers);
        ChartCanvas.CheckSize(width, height);
        if (layers.Count == 0)
        {
            throw new ArgumentException("needs at least one layer", nameof(layers));
        }
        using var plot = ChartCanvas.NewPlot($"{modelName}: per-layer time and bytes per cut");
        double[] index = [.. Enumerable.Range(0, layers.Count).Select(i => (double)i)];

        var device = plot.Add.Scatter(index, [.. layers.Select(l => ChartCanvas.Log10(l.DeviceSeconds))]);
        device.LegendText = "device s (per layer)";
        device.Color = ChartCanvas.SeriesColor(0);
        device.LineWidth = 2;
        var edge = plot.Add.Scatter(index, [.. layers.Select(l => ChartCanvas.Log10(l.EdgeSeconds))]);
        edge.LegendText = "edge s (per layer)";
        edge.Color = ChartCanvas.SeriesColor(1);
        edge.LineWidth = 2;
        var bytes = plot.Add.Scatter(index, [.. layers.Select(l => ChartCanvas.Log10(l.BytesAfter))]);
        bytes.LegendText = "bytes sent if cut after layer";
        bytes.Color = ChartCanvas.SeriesColor(2);
        bytes.LinePattern = LinePattern.Dashed;
        bytes.Axes.YAxis = plot.Axes.Right;

        ChartCanvas.UseLogTicks(plot.Axes.Left, ChartCanvas.FormatSeconds);
        ChartCanvas.UseLogTicks(plot.Axes.Right, ChartCanvas.FormatBytes);
        plot.Axes.Left.Label.Text = "time per layer";
        plot.Axes.Right.Label.Text = "tensor bytes at cut";
        plot.Axes.Bottom.Label.Text = "layer index k";
        plot.ShowLegend(Edge.Bottom);
        return ChartCanvas.ToPng(plot, width, height);
    }
}
