using ScottPlot;

namespace Sciot.Core.Charts;

/// <summary>Inferences per second per scenario, one horizontal bar each (long scenario names stay readable).</summary>
public static class ThroughputChart
{
    public static byte[] Render(string title, IReadOnlyList<(string Scenario, double InferencesPerSecond)> scenarios, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(scenarios);
        ChartCanvas.CheckSize(width, height);
        using var plot = ChartCanvas.NewPlot(title);
        var bars = scenarios.Select((s, i) => new Bar
        {
            Position = scenarios.Count - 1 - i,
            Value = s.InferencesPerSecond,
            FillColor = ChartCanvas.SeriesColor(0),
            Label = $"{s.InferencesPerSecond:0.##}",
        }).ToList();
        var plottable = plot.Add.Bars(bars);
        plottable.Horizontal = true;
        plottable.ValueLabelStyle.FontName = ChartCanvas.FontName;
        plot.Axes.Left.SetTicks(
            [.. bars.Select(b => b.Position)],
            [.. scenarios.Select(s => s.Scenario)]);
        plot.Axes.Left.MajorTickStyle.Length = 0;
        plot.Axes.Bottom.Label.Text = "inferences per second (all clients)";
        plot.Axes.Margins(left: 0, right: 0.15);
        return ChartCanvas.ToPng(plot, width, height);
    }
}
