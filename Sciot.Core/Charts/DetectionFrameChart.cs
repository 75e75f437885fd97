using ScottPlot;
using Sciot.Core.Imaging;
using SkiaSharp;

namespace Sciot.Core.Charts;

/// <summary>
/// A model-input frame with its FOMO detections drawn on it: a ring and label at each detected centroid (FOMO has no
/// box size), and, where known, the ground-truth objects as green squares.
/// </summary>
public static class DetectionFrameChart
{
    public static byte[] Render(string title, RgbImage frame, IReadOnlyList<Detection> detections, IReadOnlyList<GroundTruthObject>? truth,
        int width, int height)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(detections);
        ChartCanvas.CheckSize(width, height);
        // Declared first, so it is disposed after the plot that draws it.
        using var image = new ScottPlot.Image(EncodePng(frame));
        using var plot = ChartCanvas.NewPlot(title);
        // Plot y grows upwards, image rows downwards: frame coordinates are flipped once here.
        var rect = plot.Add.ImageRect(image, new CoordinateRect(0, frame.Width, 0, frame.Height));
        rect.AntiAlias = false;
        double Flip(float y) => frame.Height - y;

        foreach (var t in truth ?? [])
        {
            var half = t.Size / 2.0;
            var box = plot.Add.Rectangle(t.CenterX - half, t.CenterX + half, Flip(t.CenterY) - half, Flip(t.CenterY) + half);
            box.FillColor = Colors.Transparent;
            box.LineColor = Colors.LimeGreen;
            box.LineWidth = 2;
        }
        var ring = frame.Width / 12.0;
        foreach (var d in detections)
        {
            var circle = plot.Add.Circle(d.CenterX, Flip(d.CenterY), ring);
            circle.FillColor = Colors.Transparent;
            circle.LineColor = Colors.Red;
            circle.LineWidth = 3;
            var label = plot.Add.Text($"{d.Label} {d.Confidence:0.00}", d.CenterX, Flip(d.CenterY) + ring * 1.2);
            label.LabelFontName = ChartCanvas.FontName;
            label.LabelFontColor = Colors.Yellow;
            label.LabelBackgroundColor = Colors.Black.WithAlpha(0.6);
            label.LabelAlignment = Alignment.LowerCenter;
        }
        plot.Axes.SetLimits(0, frame.Width, 0, frame.Height);
        plot.Axes.SquareUnits();
        plot.HideGrid();
        plot.Axes.Frameless();
        plot.Axes.Title.IsVisible = true;
        return ChartCanvas.ToPng(plot, width, height);
    }

    private static byte[] EncodePng(RgbImage frame)
    {
        var info = new SKImageInfo(frame.Width, frame.Height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        using var bitmap = new SKBitmap(info);
        var pixels = bitmap.GetPixelSpan();
        for (int p = 0, s = 0; p < frame.Width * frame.Height; p++, s += RgbImage.Channels)
        {
            pixels[p * 4] = frame.Pixels[s];
            pixels[p * 4 + 1] = frame.Pixels[s + 1];
            pixels[p * 4 + 2] = frame.Pixels[s + 2];
            pixels[p * 4 + 3] = 255;
        }
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
