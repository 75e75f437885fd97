using Sciot.Core.Protocol;

namespace Sciot.Tests.Protocol;

public class TensorLayoutTests
{
    // C=2, H=2, W=3; each value spells its coordinates as 100*h + 10*w + c.
    private static readonly float[] Nhwc = [0, 1, 10, 11, 20, 21, 100, 101, 110, 111, 120, 121];
    private static readonly float[] Nchw = [0, 10, 20, 100, 110, 120, 1, 11, 21, 101, 111, 121];

    [Fact]
    public void Nhwc_to_nchw_moves_channels_outermost()
    {
        Assert.Equal(Nchw, TensorLayout.NhwcToNchw(Nhwc, c: 2, h: 2, w: 3));
    }

    [Fact]
    public void Nchw_to_nhwc_moves_channels_innermost()
    {
        Assert.Equal(Nhwc, TensorLayout.NchwToNhwc(Nchw, c: 2, h: 2, w: 3));
    }

    [Fact]
    public void Conversions_are_inverse_on_a_non_square_tensor()
    {
        var data = Enumerable.Range(0, 5 * 4 * 7).Select(i => (float)i).ToArray();

        Assert.Equal(data, TensorLayout.NchwToNhwc(TensorLayout.NhwcToNchw(data, 5, 4, 7), 5, 4, 7));
    }

    [Fact]
    public void Length_that_does_not_match_the_shape_is_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => TensorLayout.NhwcToNchw(Nhwc, 3, 2, 3));

        Assert.Equal("data", error.ParamName);
    }
}
