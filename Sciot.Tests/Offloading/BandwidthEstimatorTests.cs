using Sciot.Core.Offloading;

namespace Sciot.Tests.Offloading;

public class BandwidthEstimatorTests
{
    [Fact]
    public void Has_no_estimate_before_a_measurement()
    {
        var estimator = new BandwidthEstimator();

        Assert.False(estimator.HasEstimate);
        Assert.Throws<InvalidOperationException>(() => estimator.BytesPerSecond);
    }

    [Fact]
    public void First_measurement_is_taken_as_is_then_smoothed()
    {
        var estimator = new BandwidthEstimator(alpha: 0.5);

        Assert.True(estimator.AddMeasurement(100_000, 1.0));
        Assert.Equal(100_000.0, estimator.BytesPerSecond);

        estimator.AddMeasurement(300_000, 1.0);
        Assert.Equal(200_000.0, estimator.BytesPerSecond, 6);
    }

    [Fact]
    public void Slow_rate_is_clamped_to_one_kilobyte_per_second()
    {
        var estimator = new BandwidthEstimator();
        estimator.AddMeasurement(10, 60);

        Assert.Equal(BandwidthEstimator.MinBytesPerSecond, estimator.BytesPerSecond);
        Assert.Equal(1e3, BandwidthEstimator.MinBytesPerSecond);
    }

    [Fact]
    public void Fast_rate_is_clamped_to_ten_gigabytes_per_second()
    {
        var estimator = new BandwidthEstimator();
        estimator.AddMeasurement(1_000_000_000_000, 1);

        Assert.Equal(10e9, estimator.BytesPerSecond);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1e-6)]
    public void Transfer_time_is_floored_at_one_millisecond(double seconds)
    {
        var estimator = new BandwidthEstimator();
        estimator.AddMeasurement(5_000, seconds);

        Assert.Equal(5_000 / 0.001, estimator.BytesPerSecond, 6);
    }

    [Theory]
    [InlineData(0L, 1.0)]
    [InlineData(-10L, 1.0)]
    [InlineData(1000L, -0.5)]
    [InlineData(1000L, double.NaN)]
    [InlineData(1000L, double.PositiveInfinity)]
    public void Meaningless_measurement_is_ignored(long bytes, double seconds)
    {
        var estimator = new BandwidthEstimator();

        Assert.False(estimator.AddMeasurement(bytes, seconds));
        Assert.False(estimator.HasEstimate);
    }

    [Fact]
    public void Timestamps_give_bytes_over_elapsed_time()
    {
        var estimator = new BandwidthEstimator();

        Assert.True(estimator.EstimateFromTimestamps(1_722_000_000.0, 1_722_000_000.5, 50_000));
        Assert.Equal(100_000.0, estimator.BytesPerSecond, 3);
    }

    [Theory]
    [InlineData(1_722_000_000.5, 1_722_000_000.0)]
    [InlineData(1_722_000_000.0, 1_722_000_000.0)]
    [InlineData(double.NaN, 1_722_000_000.0)]
    public void Non_positive_elapsed_time_is_ignored(double sent, double received)
    {
        var estimator = new BandwidthEstimator();

        Assert.False(estimator.EstimateFromTimestamps(sent, received, 50_000));
        Assert.False(estimator.HasEstimate);
    }

    [Fact]
    public void Ignored_sample_leaves_the_estimate_alone()
    {
        var estimator = new BandwidthEstimator();
        estimator.AddMeasurement(100_000, 1);

        estimator.EstimateFromTimestamps(10, 9, 1);

        Assert.Equal(100_000.0, estimator.BytesPerSecond);
    }

    [Fact]
    public void Timestamp_path_is_clamped_too()
    {
        var estimator = new BandwidthEstimator();
        estimator.EstimateFromTimestamps(0, 1e-9, 1_000_000_000);

        Assert.Equal(BandwidthEstimator.MaxBytesPerSecond, estimator.BytesPerSecond);
    }
}
