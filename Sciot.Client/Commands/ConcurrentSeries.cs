namespace Sciot.Client.Commands;

/// <summary>
/// Several concurrent runs of the same work, alternated with another series' runs. A run of a few hundred operations
/// lasts well under a second, so on a shared machine one run can land on a neighbour's build; the median over the runs
/// does not let that one decide the figure, and min..max shows how much it moved.
/// </summary>
public sealed record ConcurrentSeries(IReadOnlyList<ConcurrentRun> Runs)
{
    public int Workers => Runs[0].Workers;

    public double PerSecond => BenchStatistics.Median(Runs.Select(r => r.PerSecond).ToArray());

    public double MinPerSecond => Runs.Min(r => r.PerSecond);

    public double MaxPerSecond => Runs.Max(r => r.PerSecond);

    public double ProcessCores => BenchStatistics.Median(Runs.Select(r => r.ProcessCores).ToArray());

    /// <summary>Over every operation of every run.</summary>
    public TimingSummary Latency => TimingSummary.Of(Runs.SelectMany(r => r.Milliseconds).ToArray());
}
