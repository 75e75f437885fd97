using ScottPlot;

namespace Sciot.Core.Charts;

/// <summary>The planner's predicted end-to-end cost of every candidate cut k, with the chosen k marked.</summary>
public static class CostCurveChart
{
    public static byte[] Render(string title, IReadOnlyList<double> costSeconds, int chosenK, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(costSeconds);
        ChartCanvas.CheckSize(width, height);
        if (costSeconds.Count == 0)
        {
            throw new ArgumentException("needs the cost of at least one cut", nameof(costSeconds));
        }
        ArgumentOutOfRangeException.ThrowIfNegative(chosenK);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(chosenK, costSeconds.Count);

        using var plot = ChartCanvas.NewPlot(title);
        double[] ks = [.. Enumerable.Range(0, costSeconds.Count).Select(k => (double)k)];
        double[] ms = [.. costSeconds.Select(s => s * 1000)];
        var curve = plot.Add.Scatter(ks, ms);
        curve.LegendText = "predicted cost of cutting after k";
        curve.Color = ChartCanvas.SeriesColor(0);
        curve.MarkerSize = 4;
        var chosen = plot.Add.Marker(chosenK, ms[chosenK], MarkerShape.FilledCircle, 14);
        chosen.Color = Colors.Red;
        chosen.LegendText = $"chosen k = {chosenK} ({ms[chosenK]:0.#} ms)";
        var rule = plot.Add.VerticalLine(chosenK);
        rule.Color = Colors.Red.WithAlpha(0.5);
        rule.LinePattern = LinePattern.Dotted;
        ChartCanvas.UseIntegerTicks(plot.Axes.Bottom);
        plot.Axes.Bottom.Label.Text = "cut after layer k";
        plot.Axes.Left.Label.Text = "predicted end-to-end ms";
        plot.ShowLegend(Alignment.UpperRight);
        return ChartCanvas.ToPng(plot, width, height);
    }
}
