using ScottPlot;

namespace Sciot.Core.Charts;

/// <summary>The split layer each client ran over time (steps, left axis) against the link bandwidth (dashed, right axis, log scale: drops of 40x stay readable).</summary>
public static class SplitTimelineChart
{
    public static byte[] Render(string title, IReadOnlyList<TimeSeries> splits, IReadOnlyList<TimeSeries> bandwidth, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(splits);
        ArgumentNullException.ThrowIfNull(bandwidth);
        ChartCanvas.CheckSize(width, height);
        using var plot = ChartCanvas.NewPlot(title);
        for (var i = 0; i < splits.Count; i++)
        {
            splits[i].Check(nameof(splits));
            var line = plot.Add.Scatter(splits[i].Seconds.ToArray(), splits[i].Values.ToArray());
            line.ConnectStyle = ConnectStyle.StepHorizontal;
            line.LegendText = $"split k: {splits[i].Label}";
            line.Color = ChartCanvas.SeriesColor(i);
            line.LineWidth = 2;
            line.MarkerSize = 4;
        }
        for (var i = 0; i < bandwidth.Count; i++)
        {
            bandwidth[i].Check(nameof(bandwidth));
            var line = plot.Add.Scatter(bandwidth[i].Seconds.ToArray(), bandwidth[i].Values.Select(ChartCanvas.Log10).ToArray());
            line.ConnectStyle = ConnectStyle.StepHorizontal;
            line.LegendText = $"bandwidth: {bandwidth[i].Label}";
            line.Color = ChartCanvas.SeriesColor(splits.Count + i).WithAlpha(0.8);
            line.LinePattern = LinePattern.Dashed;
            line.MarkerSize = 0;
            line.Axes.YAxis = plot.Axes.Right;
        }
        plot.Axes.Bottom.Label.Text = "time since start (s)";
        plot.Axes.Left.Label.Text = "split layer k (-1 = all on device)";
        ChartCanvas.UseLogTicks(plot.Axes.Right, b => ChartCanvas.FormatBytes(b) + "/s");
        plot.Axes.Right.Label.Text = "link bandwidth";
        plot.ShowLegend(Edge.Bottom);
        return ChartCanvas.ToPng(plot, width, height);
    }
}
