using SkiaSharp;

namespace Sciot.Tests.TestSupport;

/// <summary>Checks a rendered chart as a viewer would get it: a PNG that decodes, at the size asked for, with something drawn.</summary>
public static class PngAssert
{
    /// <summary>Decodes <paramref name="png"/>; asserts its size and that more than <paramref name="minInkFraction"/> of the pixels differ from the top-left (background) pixel.</summary>
    public static SKBitmap DecodesAs(byte[] png, int width, int height, double minInkFraction = 0.02)
    {
        Assert.True(png.Length > 8 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', "not a PNG signature");
        var bitmap = SKBitmap.Decode(png);
        Assert.NotNull(bitmap);
        Assert.Equal(width, bitmap.Width);
        Assert.Equal(height, bitmap.Height);
        var background = bitmap.GetPixel(0, 0);
        var ink = 0;
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                if (bitmap.GetPixel(x, y) != background)
                {
                    ink++;
                }
            }
        }
        Assert.True(ink > minInkFraction * width * height, $"only {ink} of {width * height} pixels differ from the background: blank chart");
        return bitmap;
    }

    public static SKBitmap DecodesAs(string path, int width, int height) => DecodesAs(File.ReadAllBytes(path), width, height);

    /// <summary>Pixels that are clearly red (what the charts use to mark chosen cuts and detections).</summary>
    public static int RedPixels(SKBitmap bitmap)
    {
        var count = 0;
        for (var y = 0; y < bitmap.Height; y++)
        {
            for (var x = 0; x < bitmap.Width; x++)
            {
                var c = bitmap.GetPixel(x, y);
                if (c.Red > 200 && c.Green < 60 && c.Blue < 60)
                {
                    count++;
                }
            }
        }
        return count;
    }
}
