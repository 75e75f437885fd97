using SkiaSharp;

namespace Sciot.Core.Imaging;

/// <summary>Decodes PNG/JPEG images with SkiaSharp and resizes them to the model input size.</summary>
public static class ImageLoader
{
    private static readonly string[] ImageExtensions = [".png", ".jpg", ".jpeg"];

    // Linear mipmaps keep large photos from aliasing when shrunk to 96x96, where plain bilinear would skip pixels.
    private static readonly SKSamplingOptions Sampling = new(SKFilterMode.Linear, SKMipmapMode.Linear);

    public static RgbImage LoadFile(string path, int width, int height)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Image file '{path}' does not exist.", path);
        }
        return Decode(File.ReadAllBytes(path), width, height, $"Image file '{path}'");
    }

    public static RgbImage Decode(ReadOnlySpan<byte> encoded, int width, int height) =>
        Decode(encoded, width, height, $"Image data ({encoded.Length} bytes)");

    /// <summary>Image files (png, jpg, jpeg) directly inside <paramref name="folder"/>, sorted ordinally by path.</summary>
    public static IReadOnlyList<string> ListImages(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"Image folder '{folder}' does not exist.");
        }
        return Directory.EnumerateFiles(folder)
            .Where(f => ImageExtensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    private static RgbImage Decode(ReadOnlySpan<byte> encoded, int width, int height, string source)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        // The codec is driven directly because SKBitmap.Decode throws an unhelpful ArgumentNullException for
        // unknown formats and silently accepts truncated data, which would feed a half-grey frame to the model.
        using var data = encoded.IsEmpty ? null : SKData.CreateCopy(encoded);
        using var codec = (data is null ? null : SKCodec.Create(data))
            ?? throw new InvalidDataException($"{source} could not be decoded as a PNG or JPEG image.");
        var decodedInfo = codec.Info.WithColorType(SKColorType.Rgba8888).WithAlphaType(SKAlphaType.Premul);
        using var decoded = new SKBitmap(decodedInfo);
        var result = codec.GetPixels(decodedInfo, decoded.GetPixels());
        if (result != SKCodecResult.Success)
        {
            throw new InvalidDataException($"{source} could not be decoded completely ({result}).");
        }

        // Premultiplied RGBA means transparent areas come out composited over black, a defined result for the model.
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var scaled = new SKBitmap(info);
        if (!decoded.ScalePixels(scaled, Sampling))
        {
            throw new InvalidDataException(
                $"{source} ({decoded.Width}x{decoded.Height}) could not be resized to {width}x{height}.");
        }

        var rgba = scaled.GetPixelSpan();
        var rowBytes = scaled.RowBytes;
        var rgb = new byte[RgbImage.ByteCount(width, height)];
        for (var y = 0; y < height; y++)
        {
            var row = rgba.Slice(y * rowBytes, width * 4);
            for (int x = 0, d = y * width * RgbImage.Channels; x < width; x++, d += RgbImage.Channels)
            {
                rgb[d] = row[x * 4];
                rgb[d + 1] = row[x * 4 + 1];
                rgb[d + 2] = row[x * 4 + 2];
            }
        }
        return new RgbImage(width, height, rgb);
    }
}
