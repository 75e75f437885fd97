namespace Sciot.Core.Imaging;

/// <summary>
/// An 8-bit RGB image stored as interleaved RGB888 bytes (R,G,B,R,G,B,...), row-major without row padding.
/// </summary>
public sealed class RgbImage
{
    public const int Channels = 3;

    public RgbImage(int width, int height, byte[] pixels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentNullException.ThrowIfNull(pixels);
        var expected = ByteCount(width, height);
        if (pixels.Length != expected)
        {
            throw new ArgumentException(
                $"An RGB888 image of {width}x{height} needs {expected} bytes, but {pixels.Length} were given.",
                nameof(pixels));
        }

        Width = width;
        Height = height;
        Pixels = pixels;
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Interleaved RGB888 bytes; exposed without copying because frames are handed around per inference.</summary>
    public byte[] Pixels { get; }

    public static int ByteCount(int width, int height) => checked(width * height * Channels);

    public (byte R, byte G, byte B) GetPixel(int x, int y)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(x);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(x, Width);
        ArgumentOutOfRangeException.ThrowIfNegative(y);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(y, Height);
        var i = (y * Width + x) * Channels;
        return (Pixels[i], Pixels[i + 1], Pixels[i + 2]);
    }
}
