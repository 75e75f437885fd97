using Sciot.Core.Offloading;

namespace Sciot.Tests.Offloading;

public class VarianceDetectorTests
{
    [Fact]
    public void Defaults_match_the_reference()
    {
        var detector = new VarianceDetector();

        Assert.Equal(10, detector.WindowSize);
        Assert.Equal(0.15, detector.Threshold);
    }

    [Fact]
    public void Stable_series_never_triggers()
    {
        var rng = new Random(1);
        var detector = new VarianceDetector();

        for (var i = 0; i < 100; i++)
        {
            Assert.False(detector.Add(0.1 * (1 + 0.05 * (rng.NextDouble() - 0.5))));
        }
        Assert.True(detector.CoefficientOfVariation < 0.05);
    }

    [Fact]
    public void Noisy_series_triggers_once_the_window_is_full()
    {
        var detector = new VarianceDetector();
        var results = Enumerable.Range(0, 10).Select(i => detector.Add(i % 2 == 0 ? 0.05 : 0.15)).ToArray();

        Assert.All(results[..9], r => Assert.False(r));
        Assert.True(results[9]);
        Assert.True(detector.CoefficientOfVariation > 0.15);
    }

    [Fact]
    public void Coefficient_of_variation_uses_the_sample_standard_deviation()
    {
        var detector = new VarianceDetector();
        for (var i = 1; i <= 10; i++)
        {
            detector.Add(i);
        }

        // Samples 1..10: mean 5.5, sample variance 55/6.
        Assert.Equal(Math.Sqrt(55.0 / 6) / 5.5, detector.CoefficientOfVariation, 12);
    }

    [Fact]
    public void Old_samples_leave_the_window()
    {
        var detector = new VarianceDetector(windowSize: 4);
        foreach (var s in new[] { 1.0, 5.0, 1.0, 5.0 })
        {
            detector.Add(s);
        }
        Assert.True(detector.CoefficientOfVariation > 0.15);

        var triggered = new[] { 2.0, 2.0, 2.0, 2.0 }.Select(detector.Add).ToArray();

        Assert.False(triggered[^1]);
        Assert.Equal(0.0, detector.CoefficientOfVariation);
    }

    [Theory]
    [InlineData(1, 0.15)]
    [InlineData(10, -0.1)]
    [InlineData(10, double.NaN)]
    public void Bad_settings_are_rejected(int windowSize, double threshold)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new VarianceDetector(windowSize, threshold));
    }
}
