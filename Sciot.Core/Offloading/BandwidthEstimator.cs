namespace Sciot.Core.Offloading;

/// <summary>
/// Smoothed upload bandwidth from observed transfers. Samples are clamped because a single absurd reading
/// (a sub-millisecond transfer, a stalled connection) would otherwise swing the split decision to an extreme.
/// Not thread-safe.
/// </summary>
public sealed class BandwidthEstimator
{
    public const double DefaultAlpha = 0.2;

    /// <summary>Shortest transfer time believed; below it timer resolution dominates.</summary>
    public const double MinSeconds = 0.001;

    /// <summary>1 KB/s (decimal kilobyte).</summary>
    public const double MinBytesPerSecond = 1e3;

    /// <summary>10 GB/s (decimal gigabytes).</summary>
    public const double MaxBytesPerSecond = 10e9;

    private readonly Ema _average;

    public BandwidthEstimator(double alpha = DefaultAlpha)
    {
        _average = new Ema(alpha);
    }

    public bool HasEstimate => _average.HasValue;

    /// <exception cref="InvalidOperationException">No measurement has been accepted yet.</exception>
    public double BytesPerSecond => _average.Value;

    /// <summary>Adds a transfer of <paramref name="bytes"/> that took <paramref name="seconds"/>.</summary>
    /// <returns>False, leaving the estimate unchanged, when the measurement is meaningless (no bytes, negative or non-finite time).</returns>
    public bool AddMeasurement(long bytes, double seconds)
    {
        if (bytes <= 0 || !double.IsFinite(seconds) || seconds < 0)
        {
            return false;
        }
        var rate = bytes / Math.Max(seconds, MinSeconds);
        _average.Update(Math.Clamp(rate, MinBytesPerSecond, MaxBytesPerSecond));
        return true;
    }

    /// <summary>
    /// v1 payloads carry only the client's send time, so the transfer time is the server's receive time minus it.
    /// Clock skew can make that zero or negative; such samples are dropped rather than clamped into a huge rate.
    /// </summary>
    /// <returns>False when the elapsed time is not positive or the inputs are unusable.</returns>
    public bool EstimateFromTimestamps(double clientSendTimestamp, double serverReceiveTimestamp, long bytes)
    {
        var elapsed = serverReceiveTimestamp - clientSendTimestamp;
        return elapsed > 0 && AddMeasurement(bytes, elapsed);
    }
}
