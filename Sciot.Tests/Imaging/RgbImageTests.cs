using Sciot.Core.Imaging;

namespace Sciot.Tests.Imaging;

public class RgbImageTests
{
    [Fact]
    public void Constructor_RejectsWrongPixelCount()
    {
        var ex = Assert.Throws<ArgumentException>(() => new RgbImage(4, 2, new byte[23]));
        Assert.Contains("4x2", ex.Message);
        Assert.Contains("24", ex.Message);
    }

    [Fact]
    public void GetPixel_ReadsInterleavedRowMajor()
    {
        var image = new RgbImage(2, 2, [0, 0, 0, 0, 0, 0, 0, 0, 0, 10, 20, 30]);

        Assert.Equal(((byte)10, (byte)20, (byte)30), image.GetPixel(1, 1));
    }
}
