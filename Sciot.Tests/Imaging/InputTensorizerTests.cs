using Sciot.Core.Imaging;

namespace Sciot.Tests.Imaging;

public class InputTensorizerTests
{
    private static readonly RgbImage TwoByTwo = new(2, 2,
    [
        1, 2, 3, 4, 5, 6,
        7, 8, 9, 10, 11, 12,
    ]);

    [Fact]
    public void ToNchw_WritesPlanarChannels()
    {
        var data = InputTensorizer.ToNchw(TwoByTwo, scale: 1f);

        Assert.Equal(new float[] { 1, 4, 7, 10, 2, 5, 8, 11, 3, 6, 9, 12 }, data);
    }

    [Fact]
    public void ToNchw_AppliesScaleAndOffset()
    {
        var data = InputTensorizer.ToNchw(TwoByTwo, scale: 0.5f, offset: -1f);

        Assert.Equal(-0.5f, data[0]);
        Assert.Equal(5f, data[11]);
    }

    [Fact]
    public void ToNchw_DefaultsToUnitRange()
    {
        var data = InputTensorizer.ToNchw(new RgbImage(1, 1, [255, 0, 51]));

        Assert.Equal(1f, data[0], 6);
        Assert.Equal(0f, data[1], 6);
        Assert.Equal(0.2f, data[2], 6);
    }

    [Fact]
    public void ToTensor_HasNchwShape()
    {
        var tensor = InputTensorizer.ToTensor(new RgbImage(3, 2, new byte[18]), "input");

        Assert.Equal("input", tensor.Name);
        Assert.Equal(new[] { 1, 3, 2, 3 }, tensor.Shape);
        Assert.Equal(18, tensor.ElementCount);
    }
}
