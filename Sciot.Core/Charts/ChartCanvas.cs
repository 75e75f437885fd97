using ScottPlot;
using ScottPlot.TickGenerators;

namespace Sciot.Core.Charts;

/// <summary>
/// What every Sciot chart shares: one font that exists on a bare Debian/.NET machine (set explicitly, because
/// ScottPlot's default font lookup can land on a face without the glyphs it needs), the size check and PNG export.
/// </summary>
public static class ChartCanvas
{
    /// <summary>Debian's <c>fonts-dejavu-core</c>; SkiaSharp falls back to its default face where it is missing.</summary>
    public const string FontName = "DejaVu Sans";

    public const int MinPixels = 64;
    public const int MaxPixels = 4096;

    /// <summary>Smallest positive value drawn on a log axis: zero times and bytes sit on this floor.</summary>
    public const double LogFloor = 1e-9;

    /// <summary>A plot with the Sciot font and <paramref name="title"/>; the caller disposes it (it holds native Skia resources).</summary>
    public static Plot NewPlot(string title)
    {
        var plot = new Plot();
        plot.Font.Set(FontName);
        plot.Title(title);
        return plot;
    }

    /// <exception cref="ArgumentOutOfRangeException">A side is outside <see cref="MinPixels"/>..<see cref="MaxPixels"/>.</exception>
    public static void CheckSize(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, MinPixels);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(width, MaxPixels);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, MinPixels);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(height, MaxPixels);
    }

    public static byte[] ToPng(Plot plot, int width, int height) => plot.GetImageBytes(width, height, ImageFormat.Png);

    /// <summary>ScottPlot draws log scales as log10 data with decade ticks; this puts such ticks on <paramref name="axis"/>.</summary>
    public static void UseLogTicks(IAxis axis, Func<double, string> format)
    {
        axis.TickGenerator = new NumericAutomatic
        {
            MinorTickGenerator = new LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = exponent => format(Math.Pow(10, exponent)),
        };
    }

    public static double Log10(double value) => Math.Log10(Math.Max(value, LogFloor));

    /// <summary>Category20 pairs a strong and a pale shade of each hue: the ten strong ones first, then the pale ones.</summary>
    public static Color SeriesColor(int index)
    {
        var i = index % 20;
        return new ScottPlot.Palettes.Category20().GetColor(i < 10 ? 2 * i : 2 * (i - 10) + 1);
    }

    /// <summary>Seconds as the shortest readable unit (µs, ms or s), for tick labels.</summary>
    public static string FormatSeconds(double seconds) => seconds switch
    {
        >= 1 => $"{seconds:0.#} s",
        >= 1e-3 => $"{seconds * 1e3:0.#} ms",
        _ => $"{seconds * 1e6:0.#} µs",
    };

    /// <summary>Decimal units, so decade ticks read 1 kB, 10 kB, 100 kB rather than 9.8 KiB.</summary>
    public static string FormatBytes(double bytes) => bytes switch
    {
        >= 1e6 => $"{bytes / 1e6:0.#} MB",
        >= 1e3 => $"{bytes / 1e3:0.#} kB",
        _ => $"{bytes:0} B",
    };

    /// <summary>Whole-number ticks for axes of layer indices.</summary>
    public static void UseIntegerTicks(IAxis axis) => axis.TickGenerator = new NumericAutomatic { IntegerTicksOnly = true };
}
