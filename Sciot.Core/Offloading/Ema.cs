namespace Sciot.Core.Offloading;

/// <summary>
/// Exponential moving average; the first sample is taken as is so the average does not start biased towards zero.
/// Not thread-safe.
/// </summary>
public sealed class Ema
{
    private double _value;

    /// <param name="alpha">Weight of each new sample, in (0, 1]; the reference server uses 0.2.</param>
    public Ema(double alpha)
    {
        if (!(alpha > 0 && alpha <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "must be in (0, 1]");
        }
        Alpha = alpha;
    }

    public double Alpha { get; }

    public bool HasValue { get; private set; }

    /// <exception cref="InvalidOperationException">No sample has been added yet.</exception>
    public double Value => HasValue ? _value : throw new InvalidOperationException("The average has no samples yet.");

    /// <returns>The updated average.</returns>
    public double Update(double sample)
    {
        if (!double.IsFinite(sample))
        {
            throw new ArgumentOutOfRangeException(nameof(sample), sample, "must be finite");
        }
        _value = HasValue ? Alpha * sample + (1 - Alpha) * _value : sample;
        HasValue = true;
        return _value;
    }
}
