namespace Sciot.Client.Scenarios;

/// <summary>What one scenario run produced: its rows, and for its first client the server's view at the end (for the charts).</summary>
public sealed record ScenarioResult(Scenario Scenario, IReadOnlyList<InferenceRow> Rows, double WallSeconds)
{
    public double Throughput => Rows.Count / Scenario.DurationSeconds;

    public IReadOnlyDictionary<int, int> SplitHistogram =>
        Rows.GroupBy(r => r.Split).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => g.Count());

    /// <summary>The most frequent server-chosen split (k ≥ 0) among rows from <paramref name="fromSeconds"/> to <paramref name="toSeconds"/>; null if none.</summary>
    public int? DominantSplit(double fromSeconds, double toSeconds) =>
        Rows.Where(r => r.Split >= 0 && r.TimeSeconds >= fromSeconds && r.TimeSeconds <= toSeconds)
            .GroupBy(r => r.Split).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).Select(g => (int?)g.Key).FirstOrDefault();

    /// <summary>Over the second half of the run, once estimates have settled.</summary>
    public int? SteadySplit => DominantSplit(Scenario.DurationSeconds / 2, double.PositiveInfinity);

    public double Percentile(double p)
    {
        var sorted = Rows.Select(r => r.EndToEndSeconds).Order().ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }
        var rank = p * (sorted.Length - 1);
        var low = (int)Math.Floor(rank);
        var high = Math.Min(low + 1, sorted.Length - 1);
        return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
    }
}
