using Sciot.Core.Imaging;
using SkiaSharp;

namespace Sciot.Tests.Imaging;

public sealed class ImageLoaderTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("sciot-imaging-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public void LoadFile_DecodesPngAndResizes()
    {
        var path = Path.Combine(_dir.FullName, "halves.png");
        File.WriteAllBytes(path, EncodeRedBlueHalves(SKEncodedImageFormat.Png));

        var image = ImageLoader.LoadFile(path, 8, 4);

        Assert.Equal(8, image.Width);
        Assert.Equal(4, image.Height);
        AssertNear((255, 0, 0), image.GetPixel(1, 1), tolerance: 2);
        AssertNear((0, 0, 255), image.GetPixel(6, 2), tolerance: 2);
    }

    [Fact]
    public void Decode_DownscaledFineDetail_AveragesInsteadOfAliasing()
    {
        using var bitmap = new SKBitmap(96, 96);
        for (var y = 0; y < 96; y++)
        {
            for (var x = 0; x < 96; x++)
            {
                // Thin stripes right where a plain bilinear 12:1 downscale samples, so only averaging dims them.
                bitmap.SetPixel(x, y, x % 12 is 5 or 6 ? SKColors.White : SKColors.Black);
            }
        }
        using var image = SKImage.FromBitmap(bitmap);
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);

        var small = ImageLoader.Decode(png.AsSpan(), 8, 8);

        Assert.All(small.Pixels, v => Assert.InRange(v, 10, 100));
    }

    [Fact]
    public void Decode_AcceptsJpegBytes()
    {
        var image = ImageLoader.Decode(EncodeRedBlueHalves(SKEncodedImageFormat.Jpeg), 8, 4);

        AssertNear((255, 0, 0), image.GetPixel(1, 1), tolerance: 24);
        AssertNear((0, 0, 255), image.GetPixel(6, 2), tolerance: 24);
    }

    [Fact]
    public void LoadFile_CorruptFile_NamesTheFile()
    {
        var path = Path.Combine(_dir.FullName, "broken.png");
        File.WriteAllText(path, "this is not a png");

        var ex = Assert.Throws<InvalidDataException>(() => ImageLoader.LoadFile(path, 96, 96));

        Assert.Contains(path, ex.Message);
    }

    [Fact]
    public void Decode_TruncatedPng_Throws()
    {
        var png = EncodeRedBlueHalves(SKEncodedImageFormat.Png);

        Assert.Throws<InvalidDataException>(() => ImageLoader.Decode(png.AsSpan(0, png.Length / 2), 8, 4));
    }

    [Fact]
    public void Decode_EmptyBytes_Throws()
    {
        Assert.Throws<InvalidDataException>(() => ImageLoader.Decode(ReadOnlySpan<byte>.Empty, 96, 96));
    }

    [Fact]
    public void LoadFile_MissingFile_NamesTheFile()
    {
        var path = Path.Combine(_dir.FullName, "missing.png");

        var ex = Assert.Throws<FileNotFoundException>(() => ImageLoader.LoadFile(path, 96, 96));

        Assert.Contains(path, ex.Message);
    }

    [Fact]
    public void ListImages_ReturnsOnlyImagesSorted()
    {
        foreach (var name in new[] { "b.png", "a.JPG", "c.jpeg", "notes.txt", "d.bmp" })
        {
            File.WriteAllText(Path.Combine(_dir.FullName, name), "");
        }

        var files = ImageLoader.ListImages(_dir.FullName);

        Assert.Equal(new[] { "a.JPG", "b.png", "c.jpeg" }, files.Select(Path.GetFileName));
    }

    [Fact]
    public void ListImages_MissingFolder_NamesTheFolder()
    {
        var folder = Path.Combine(_dir.FullName, "nope");

        var ex = Assert.Throws<DirectoryNotFoundException>(() => ImageLoader.ListImages(folder));

        Assert.Contains(folder, ex.Message);
    }

    private static byte[] EncodeRedBlueHalves(SKEncodedImageFormat format)
    {
        using var bitmap = new SKBitmap(40, 20);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.Red);
            using var blue = new SKPaint { Color = SKColors.Blue };
            canvas.DrawRect(20, 0, 20, 20, blue);
        }
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(format, 95);
        return data.ToArray();
    }

    private static void AssertNear((int R, int G, int B) expected, (byte R, byte G, byte B) actual, int tolerance)
    {
        Assert.InRange(actual.R, expected.R - tolerance, expected.R + tolerance);
        Assert.InRange(actual.G, expected.G - tolerance, expected.G + tolerance);
        Assert.InRange(actual.B, expected.B - tolerance, expected.B + tolerance);
    }
}
