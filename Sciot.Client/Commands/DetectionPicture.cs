using SkiaSharp;
using Sciot.Core.Imaging;

namespace Sciot.Client.Commands;

/// <summary>
/// Draws held-out scenes enlarged in a grid, each with its ground truth (a square of the object's size, white when
/// the model found it, orange and dashed when it missed it) and the model's detections (dots at the detected
/// centroids: green when matched, red when wrong), paired by <see cref="DetectionMatcher"/> as <c>evaluate</c> scores
/// them, with a legend and the frame's counts under each scene.
/// </summary>
public static class DetectionPicture
{
    private const int Scale = 4;
    private const int Gap = 12;
    private const int Header = 40;
    private const int Caption = 22;
    private const int Legend = 40;

    private static readonly SKColor Background = new(24, 24, 28);
    private static readonly SKColor Found = SKColors.White;
    private static readonly SKColor Missed = new(255, 150, 30);
    private static readonly SKColor Right = new(40, 220, 90);
    private static readonly SKColor Wrong = new(240, 50, 50);

    public static void Write(string path, IReadOnlyList<SyntheticScene> scenes, IReadOnlyList<IReadOnlyList<Detection>> detections,
        float radius, string title)
    {
        var columns = Math.Min(4, scenes.Count);
        var rows = (scenes.Count + columns - 1) / columns;
        var (w, h) = (scenes[0].Image.Width * Scale, scenes[0].Image.Height * Scale);
        var width = columns * (w + Gap) + Gap;
        var height = Header + rows * (h + Caption + Gap) + Gap + Legend;
        using var surface = SKSurface.Create(new SKImageInfo(width, height));
        var canvas = surface.Canvas;
        canvas.Clear(Background);
        using var typeface = SKTypeface.FromFamilyName("DejaVu Sans") ?? SKTypeface.Default;
        using var font = new SKFont(typeface, 18);
        using var small = new SKFont(typeface, 14);
        using var text = Fill(SKColors.White);
        canvas.DrawText(title, Gap, 27, SKTextAlign.Left, font, text);
        using var foundBox = Stroke(Found, null);
        using var dash = SKPathEffect.CreateDash([8, 5], 0);
        using var missedBox = Stroke(Missed, dash);
        using var right = Fill(Right);
        using var wrong = Fill(Wrong);
        using var outline = Stroke(SKColors.Black, null);
        using var labelBack = Fill(Background.WithAlpha(200));
        for (var s = 0; s < scenes.Count; s++)
        {
            var (x0, y0) = (Gap + s % columns * (w + Gap), Header + s / columns * (h + Caption + Gap));
            using var bitmap = ToBitmap(scenes[s].Image);
            canvas.DrawBitmap(bitmap, new SKRect(x0, y0, x0 + w, y0 + h), new SKSamplingOptions(SKFilterMode.Nearest));
            var objects = scenes[s].Objects;
            var (detectionMatched, objectFound) = DetectionMatcher.Pair(detections[s], objects, radius);
            for (var i = 0; i < objects.Count; i++)
            {
                var t = objects[i];
                var half = t.Size / 2f * Scale + 3;
                var (cx, cy) = (x0 + t.CenterX * Scale, y0 + t.CenterY * Scale);
                canvas.DrawRect(new SKRect(cx - half, cy - half, cx + half, cy + half), objectFound[i] ? foundBox : missedBox);
                Label(canvas, t.ClassName, cx - half, cy - half - 4, x0 + w, small, objectFound[i] ? text : missedBox, labelBack);
            }
            for (var i = 0; i < detections[s].Count; i++)
            {
                var d = detections[s][i];
                var (cx, cy) = (x0 + d.CenterX * Scale, y0 + d.CenterY * Scale);
                canvas.DrawCircle(cx, cy, 7, detectionMatched[i] ? right : wrong);
                canvas.DrawCircle(cx, cy, 7, outline);
                Label(canvas, $"{d.Label} {d.Confidence:F2}", cx + 10, cy + 18, x0 + w, small, detectionMatched[i] ? right : wrong, labelBack);
            }
            var frame = DetectionMatcher.Match(detections[s], objects, radius);
            canvas.DrawText($"{frame.TruePositives} found, {frame.FalsePositives} wrong, {frame.FalseNegatives} missed", x0, y0 + h + 17,
                SKTextAlign.Left, small, text);
        }
        DrawLegend(canvas, Gap, height - Legend, small, text, foundBox, missedBox, right, wrong, outline);
        using var snapshot = surface.Snapshot();
        using var png = snapshot.Encode(SKEncodedImageFormat.Png, 100);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllBytes(path, png.ToArray());
    }

    private static void DrawLegend(SKCanvas canvas, float x, float y, SKFont font, SKPaint text, SKPaint foundBox, SKPaint missedBox,
        SKPaint right, SKPaint wrong, SKPaint outline)
    {
        void Box(SKPaint paint, string label)
        {
            canvas.DrawRect(new SKRect(x, y, x + 18, y + 18), paint);
            canvas.DrawText(label, x + 26, y + 14, SKTextAlign.Left, font, text);
            x += 34 + font.MeasureText(label) + 24;
        }
        void Dot(SKPaint paint, string label)
        {
            canvas.DrawCircle(x + 9, y + 9, 7, paint);
            canvas.DrawCircle(x + 9, y + 9, 7, outline);
            canvas.DrawText(label, x + 26, y + 14, SKTextAlign.Left, font, text);
            x += 34 + font.MeasureText(label) + 24;
        }
        Box(foundBox, "true object, found");
        Box(missedBox, "true object, missed");
        Dot(right, "detection matching a true object (same class, within one 12x12 cell)");
        Dot(wrong, "wrong detection");
    }

    /// <summary>A label on a dark backing, so it stays readable over any background texture; kept inside its scene (left of <paramref name="right"/>).</summary>
    private static void Label(SKCanvas canvas, string label, float x, float y, float right, SKFont font, SKPaint paint, SKPaint back)
    {
        var width = font.MeasureText(label);
        x = Math.Min(x, right - width - 3);
        canvas.DrawRect(new SKRect(x - 2, y - font.Size + 1, x + width + 2, y + 4), back);
        using var fill = Fill(paint.Color);
        canvas.DrawText(label, x, y, SKTextAlign.Left, font, fill);
    }

    private static SKBitmap ToBitmap(RgbImage image)
    {
        var bitmap = new SKBitmap(new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        for (var y = 0; y < image.Height; y++)
        {
            for (var x = 0; x < image.Width; x++)
            {
                var (r, g, b) = image.GetPixel(x, y);
                bitmap.SetPixel(x, y, new SKColor(r, g, b));
            }
        }
        return bitmap;
    }

    private static SKPaint Fill(SKColor color) => new() { Color = color, IsAntialias = true };

    private static SKPaint Stroke(SKColor color, SKPathEffect? effect) =>
        new() { Color = color, IsStroke = true, StrokeWidth = 2.5f, IsAntialias = true, PathEffect = effect };
}
