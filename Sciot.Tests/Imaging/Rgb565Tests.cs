using Sciot.Core.Imaging;

namespace Sciot.Tests.Imaging;

public class Rgb565Tests
{
    [Theory]
    [InlineData(255, 0, 0, 0xF8, 0x00)]
    [InlineData(0, 255, 0, 0x07, 0xE0)]
    [InlineData(0, 0, 255, 0x00, 0x1F)]
    [InlineData(255, 255, 255, 0xFF, 0xFF)]
    [InlineData(0, 0, 0, 0x00, 0x00)]
    public void Encode_WritesBigEndianWords(byte r, byte g, byte b, byte high, byte low)
    {
        var encoded = Rgb565.Encode(new RgbImage(1, 1, [r, g, b]));

        Assert.Equal(new[] { high, low }, encoded);
    }

    [Fact]
    public void Decode_ExpandsToFullRange()
    {
        var image = Rgb565.Decode(new byte[] { 0xF8, 0x00, 0xFF, 0xFF, 0x00, 0x1F }, 3, 1);

        Assert.Equal(((byte)255, (byte)0, (byte)0), image.GetPixel(0, 0));
        Assert.Equal(((byte)255, (byte)255, (byte)255), image.GetPixel(1, 0));
        Assert.Equal(((byte)0, (byte)0, (byte)255), image.GetPixel(2, 0));
    }

    [Fact]
    public void RoundTrip_StaysWithinQuantizationError()
    {
        var pixels = new byte[256 * RgbImage.Channels];
        for (var i = 0; i < 256; i++)
        {
            pixels[i * 3] = (byte)i;
            pixels[i * 3 + 1] = (byte)(255 - i);
            pixels[i * 3 + 2] = (byte)(i * 7);
        }
        var original = new RgbImage(16, 16, pixels);

        var decoded = Rgb565.Decode(Rgb565.Encode(original), 16, 16);

        for (var i = 0; i < pixels.Length; i++)
        {
            Assert.InRange(Math.Abs(decoded.Pixels[i] - pixels[i]), 0, 8);
        }
    }

    [Fact]
    public void Decode_WrongLength_ReportsExpectedActualAndSize()
    {
        var ex = Assert.Throws<ArgumentException>(() => Rgb565.Decode(new byte[100], 96, 96));

        Assert.Contains("18432", ex.Message);
        Assert.Contains("100", ex.Message);
        Assert.Contains("96x96", ex.Message);
    }
}
