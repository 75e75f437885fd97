namespace Sciot.Core.Offloading;

/// <summary>
/// Flags a layer whose recent timings spread too much (coefficient of variation over a sliding window),
/// which means the stored time no longer predicts the next run and the split should be re-evaluated.
/// Not thread-safe.
/// </summary>
public sealed class VarianceDetector
{
    public const int DefaultWindowSize = 10;
    public const double DefaultThreshold = 0.15;

    private readonly double[] _window;
    private int _next;

    public VarianceDetector(int windowSize = DefaultWindowSize, double threshold = DefaultThreshold)
    {
        // A sample standard deviation needs at least two values.
        ArgumentOutOfRangeException.ThrowIfLessThan(windowSize, 2);
        if (!double.IsFinite(threshold) || threshold < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "must be finite and non-negative");
        }
        _window = new double[windowSize];
        Threshold = threshold;
    }

    public int WindowSize => _window.Length;

    public double Threshold { get; }

    public int Count { get; private set; }

    public bool IsWindowFull => Count == _window.Length;

    /// <summary>
    /// Sample standard deviation over mean of the samples in the window; 0 with fewer than two samples or a
    /// non-positive mean, as in the reference implementation.
    /// </summary>
    public double CoefficientOfVariation
    {
        get
        {
            if (Count < 2)
            {
                return 0;
            }
            var samples = _window.AsSpan(0, Count);
            double sum = 0;
            foreach (var s in samples)
            {
                sum += s;
            }
            var mean = sum / Count;
            if (mean <= 0)
            {
                return 0;
            }
            double squares = 0;
            foreach (var s in samples)
            {
                squares += (s - mean) * (s - mean);
            }
            return Math.Sqrt(squares / (Count - 1)) / mean;
        }
    }

    /// <returns>True when the window is full and its coefficient of variation exceeds <see cref="Threshold"/>.</returns>
    public bool Add(double sample)
    {
        if (!double.IsFinite(sample))
        {
            throw new ArgumentOutOfRangeException(nameof(sample), sample, "must be finite");
        }
        _window[_next] = sample;
        _next = (_next + 1) % _window.Length;
        Count = Math.Min(Count + 1, _window.Length);
        return IsWindowFull && CoefficientOfVariation > Threshold;
    }
}
