namespace Sciot.Core.Charts;

/// <summary>A labelled series of (seconds since start, value) points, in time order.</summary>
public sealed record TimeSeries(string Label, IReadOnlyList<double> Seconds, IReadOnlyList<double> Values)
{
    public void Check(string parameter)
    {
        if (Seconds.Count != Values.Count)
        {
            throw new ArgumentException($"series '{Label}' has {Seconds.Count} times but {Values.Count} values", parameter);
        }
    }
}
