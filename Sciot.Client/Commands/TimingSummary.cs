namespace Sciot.Client.Commands;

/// <summary>Median, p90 and p99 of one series of timings, in milliseconds.</summary>
public readonly record struct TimingSummary(double MedianMs, double P90Ms, double P99Ms)
{
    public static TimingSummary Of(IReadOnlyCollection<double> milliseconds) =>
        new(BenchStatistics.Median(milliseconds), BenchStatistics.Percentile(milliseconds, 90), BenchStatistics.Percentile(milliseconds, 99));
}
