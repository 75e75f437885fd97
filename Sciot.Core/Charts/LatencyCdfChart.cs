using ScottPlot;

namespace Sciot.Core.Charts;

/// <summary>End-to-end latency distribution per scenario as empirical CDFs over a log time axis (scenarios span ms to s).</summary>
public static class LatencyCdfChart
{
    public static byte[] Render(string title, IReadOnlyList<NamedSamples> scenarios, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(scenarios);
        ChartCanvas.CheckSize(width, height);
        using var plot = ChartCanvas.NewPlot(title);
        var drawn = 0;
        foreach (var scenario in scenarios)
        {
            if (scenario.Values.Count == 0)
            {
                continue;
            }
            var sorted = scenario.Values.Order().ToArray();
            var xs = sorted.Select(ChartCanvas.Log10).ToArray();
            var ys = Enumerable.Range(1, sorted.Length).Select(i => (double)i / sorted.Length).ToArray();
            var line = plot.Add.Scatter(xs, ys);
            line.ConnectStyle = ConnectStyle.StepHorizontal;
            line.MarkerSize = 0;
            line.LineWidth = 2;
            line.Color = ChartCanvas.SeriesColor(drawn);
            line.LegendText = $"{scenario.Label} (n={sorted.Length})";
            drawn++;
        }
        ChartCanvas.UseLogTicks(plot.Axes.Bottom, ChartCanvas.FormatSeconds);
        plot.Axes.Bottom.Label.Text = "end-to-end latency per inference";
        plot.Axes.Left.Label.Text = "fraction of inferences ≤ x";
        plot.Axes.SetLimitsY(0, 1.02);
        plot.ShowLegend(Edge.Right);
        return ChartCanvas.ToPng(plot, width, height);
    }
}
