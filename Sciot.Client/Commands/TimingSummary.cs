namespace Sciot.Client.Commands;

/// <summary>Median and p90 of one series of timings, in milliseconds.</summary>
public readonly record struct TimingSummary(double MedianMs, double P90Ms)
{
    public static TimingSummary Of(IReadOnlyCollection<double> milliseconds) =>
        new(BenchStatistics.Median(milliseconds), BenchStatistics.Percentile(milliseconds, 90));
}
