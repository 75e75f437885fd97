namespace Sciot.Client.Commands;

/// <summary>
/// Order statistics of timing samples. Run times on a shared machine are skewed by GC pauses and preemption, so the
/// benchmark reports medians (robust to those spikes) and p90 (how often they happen), never means.
/// </summary>
public static class BenchStatistics
{
    public static double Median(IReadOnlyCollection<double> samples) => Percentile(samples, 50);

    /// <summary>Linear interpolation between closest ranks, so the median of an even count is the mean of the middle two.</summary>
    public static double Percentile(IReadOnlyCollection<double> samples, double percent)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(percent, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, 100);
        if (samples.Count == 0)
        {
            throw new ArgumentException("no samples", nameof(samples));
        }
        var sorted = samples.Order().ToArray();
        var rank = percent / 100 * (sorted.Length - 1);
        var lower = (int)Math.Floor(rank);
        var upper = (int)Math.Ceiling(rank);
        return sorted[lower] + (sorted[upper] - sorted[lower]) * (rank - lower);
    }
}
