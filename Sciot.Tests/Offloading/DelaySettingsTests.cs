using Sciot.Core.Offloading;

namespace Sciot.Tests.Offloading;

public class DelaySettingsTests
{
    private const int Samples = 20_000;

    private static double[] Draw(DelaySettings settings, int seed = 42)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, Samples).Select(_ => settings.Sample(rng)).ToArray();
    }

    [Fact]
    public void Default_is_no_delay()
    {
        Assert.All(Draw(new DelaySettings()), s => Assert.Equal(0.0, s));
    }

    [Fact]
    public void Static_always_returns_the_mean()
    {
        Assert.All(Draw(new DelaySettings { Kind = DelayKind.Static, Mean = 0.02 }), s => Assert.Equal(0.02, s));
    }

    [Fact]
    public void Gaussian_matches_mean_and_spread()
    {
        var samples = Draw(new DelaySettings { Kind = DelayKind.Gaussian, Mean = 0.05, StdDev = 0.01 });
        var mean = samples.Average();
        var stdDev = Math.Sqrt(samples.Sum(s => (s - mean) * (s - mean)) / (samples.Length - 1));

        Assert.Equal(0.05, mean, 0.0005);
        Assert.Equal(0.01, stdDev, 0.0005);
    }

    [Fact]
    public void Gaussian_tail_below_zero_is_clamped()
    {
        var samples = Draw(new DelaySettings { Kind = DelayKind.Gaussian, Mean = 0.001, StdDev = 0.01 });

        Assert.All(samples, s => Assert.True(s >= 0));
        Assert.Contains(0.0, samples);
    }

    [Fact]
    public void Uniform_stays_in_range_with_the_midpoint_as_mean()
    {
        var samples = Draw(new DelaySettings { Kind = DelayKind.Uniform, Min = 0.01, Max = 0.03 });

        Assert.All(samples, s => Assert.InRange(s, 0.01, 0.03));
        Assert.Equal(0.02, samples.Average(), 0.0005);
    }

    [Fact]
    public void Exponential_matches_its_mean_and_is_never_negative()
    {
        var samples = Draw(new DelaySettings { Kind = DelayKind.Exponential, Mean = 0.04 });

        Assert.All(samples, s => Assert.True(s >= 0 && double.IsFinite(s)));
        Assert.Equal(0.04, samples.Average(), 0.0015);
    }

    [Fact]
    public void Same_seed_gives_the_same_delays()
    {
        var settings = new DelaySettings { Kind = DelayKind.Gaussian, Mean = 0.05, StdDev = 0.01 };

        Assert.Equal(Draw(settings, 7), Draw(settings, 7));
    }

    [Theory]
    [InlineData(DelayKind.Static, -0.1, 0, 0, 0, "Mean")]
    [InlineData(DelayKind.Gaussian, 0.05, -0.01, 0, 0, "StdDev")]
    [InlineData(DelayKind.Gaussian, double.NaN, 0.01, 0, 0, "Mean")]
    [InlineData(DelayKind.Uniform, 0, 0, -1, 1, "Min")]
    [InlineData(DelayKind.Uniform, 0, 0, 0.03, 0.01, "Max")]
    [InlineData(DelayKind.Exponential, double.PositiveInfinity, 0, 0, 0, "Mean")]
    [InlineData((DelayKind)42, 0, 0, 0, 0, "Kind")]
    public void Invalid_settings_are_rejected_naming_the_property(
        DelayKind kind, double mean, double stdDev, double min, double max, string property)
    {
        var settings = new DelaySettings { Kind = kind, Mean = mean, StdDev = stdDev, Min = min, Max = max };

        var error = Assert.Throws<InvalidOperationException>(settings.Validate);

        Assert.Contains(property, error.Message);
        Assert.Throws<InvalidOperationException>(() => settings.Sample(new Random(1)));
    }

    [Fact]
    public void Parameters_the_kind_does_not_use_are_ignored()
    {
        var settings = new DelaySettings { Kind = DelayKind.Static, Mean = 0.01, StdDev = -5, Min = 9, Max = 1 };

        settings.Validate();
        Assert.Equal(0.01, settings.Sample(new Random(1)));
    }
}
