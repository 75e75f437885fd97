using Sciot.Core.Offloading;

namespace Sciot.Tests.Offloading;

public class EmaTests
{
    [Fact]
    public void First_sample_initialises_the_average()
    {
        var ema = new Ema(0.2);

        Assert.False(ema.HasValue);
        Assert.Equal(10.0, ema.Update(10));
        Assert.True(ema.HasValue);
        Assert.Equal(10.0, ema.Value);
    }

    [Fact]
    public void Later_samples_are_weighted_by_alpha()
    {
        var ema = new Ema(0.2);
        ema.Update(10);

        ema.Update(20);

        Assert.Equal(12.0, ema.Value, 12);
        Assert.Equal(0.2 * 0 + 0.8 * 12.0, ema.Update(0), 12);
    }

    [Fact]
    public void Alpha_one_follows_the_last_sample()
    {
        var ema = new Ema(1);
        ema.Update(3);
        ema.Update(7);

        Assert.Equal(7.0, ema.Value);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.1)]
    [InlineData(1.01)]
    [InlineData(double.NaN)]
    public void Alpha_outside_zero_one_is_rejected(double alpha)
    {
        Assert.Equal("alpha", Assert.Throws<ArgumentOutOfRangeException>(() => new Ema(alpha)).ParamName);
    }

    [Fact]
    public void Value_without_samples_throws()
    {
        Assert.Throws<InvalidOperationException>(() => new Ema(0.5).Value);
    }

    [Fact]
    public void Non_finite_sample_is_rejected_and_leaves_the_average()
    {
        var ema = new Ema(0.5);
        ema.Update(4);

        Assert.Throws<ArgumentOutOfRangeException>(() => ema.Update(double.NaN));
        Assert.Equal(4.0, ema.Value);
    }
}
