namespace Sciot.Core.Imaging;

/// <summary>
/// RGB565 codec in the byte order ESP32 camera drivers emit: one big-endian 16-bit word per pixel
/// (high byte first), bits RRRRRGGG GGGBBBBB.
/// </summary>
public static class Rgb565
{
    public const int BytesPerPixel = 2;

    public static int ByteCount(int width, int height) => checked(width * height * BytesPerPixel);

    public static byte[] Encode(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var src = image.Pixels;
        var dst = new byte[ByteCount(image.Width, image.Height)];
        for (int p = 0, s = 0, d = 0; p < image.Width * image.Height; p++, s += RgbImage.Channels, d += BytesPerPixel)
        {
            var word = ((src[s] >> 3) << 11) | ((src[s + 1] >> 2) << 5) | (src[s + 2] >> 3);
            dst[d] = (byte)(word >> 8);
            dst[d + 1] = (byte)word;
        }
        return dst;
    }

    public static RgbImage Decode(ReadOnlySpan<byte> data, int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        var expected = ByteCount(width, height);
        if (data.Length != expected)
        {
            throw new ArgumentException(
                $"RGB565 frame of {width}x{height} must be {expected} bytes, but {data.Length} bytes were received.",
                nameof(data));
        }

        var dst = new byte[RgbImage.ByteCount(width, height)];
        for (int s = 0, d = 0; s < data.Length; s += BytesPerPixel, d += RgbImage.Channels)
        {
            var word = (data[s] << 8) | data[s + 1];
            var r5 = word >> 11;
            var g6 = (word >> 5) & 0x3F;
            var b5 = word & 0x1F;
            // Bit replication maps the 5/6-bit maximum to exactly 255, so white stays white.
            dst[d] = (byte)((r5 << 3) | (r5 >> 2));
            dst[d + 1] = (byte)((g6 << 2) | (g6 >> 4));
            dst[d + 2] = (byte)((b5 << 3) | (b5 >> 2));
        }
        return new RgbImage(width, height, dst);
    }
}
