namespace Sciot.Core.Offloading;

/// <summary>
/// Chooses where to split the model: stopping the device after layer k costs the device time of layers 0..k,
/// the upload of everything live after k, and the edge time of layers k+1..L-1.
/// </summary>
public static class OffloadingPlanner
{
    /// <param name="deviceSeconds">Device time per layer.</param>
    /// <param name="edgeSeconds">Edge time per layer.</param>
    /// <param name="liveBytesAfter">Bytes that cross the network if the device stops after each layer; the last entry is the final output a device-only run still sends.</param>
    /// <param name="bandwidthBytesPerSecond">Upload bandwidth estimate.</param>
    /// <returns>The cheapest layer; ties go to the earliest, which keeps the most work off the device.</returns>
    public static OffloadingPlan Plan(
        ReadOnlySpan<double> deviceSeconds,
        ReadOnlySpan<double> edgeSeconds,
        ReadOnlySpan<long> liveBytesAfter,
        double bandwidthBytesPerSecond)
    {
        Validate(deviceSeconds, edgeSeconds, liveBytesAfter, bandwidthBytesPerSecond);

        var layers = deviceSeconds.Length;
        var costs = new double[layers];

        // Suffix sums are built directly rather than as total minus prefix, which would cancel catastrophically
        // when the edge times are tiny next to their total.
        double edgeAfter = 0;
        for (var k = layers - 1; k >= 0; k--)
        {
            costs[k] = edgeAfter;
            edgeAfter += edgeSeconds[k];
        }

        double deviceThrough = 0;
        var best = 0;
        for (var k = 0; k < layers; k++)
        {
            deviceThrough += deviceSeconds[k];
            costs[k] += deviceThrough + liveBytesAfter[k] / bandwidthBytesPerSecond;
            if (costs[k] < costs[best])
            {
                best = k;
            }
        }
        return new OffloadingPlan(best, costs[best], costs);
    }

    private static void Validate(
        ReadOnlySpan<double> deviceSeconds,
        ReadOnlySpan<double> edgeSeconds,
        ReadOnlySpan<long> liveBytesAfter,
        double bandwidthBytesPerSecond)
    {
        if (deviceSeconds.IsEmpty)
        {
            throw new ArgumentException("must describe at least one layer", nameof(deviceSeconds));
        }
        if (edgeSeconds.Length != deviceSeconds.Length)
        {
            throw new ArgumentException(
                $"has {edgeSeconds.Length} layers but deviceSeconds has {deviceSeconds.Length}", nameof(edgeSeconds));
        }
        if (liveBytesAfter.Length != deviceSeconds.Length)
        {
            throw new ArgumentException(
                $"has {liveBytesAfter.Length} layers but deviceSeconds has {deviceSeconds.Length}", nameof(liveBytesAfter));
        }
        if (!double.IsFinite(bandwidthBytesPerSecond) || bandwidthBytesPerSecond <= 0)
        {
            throw new ArgumentException(
                $"must be positive and finite, got {bandwidthBytesPerSecond}", nameof(bandwidthBytesPerSecond));
        }
        CheckTimes(deviceSeconds, nameof(deviceSeconds));
        CheckTimes(edgeSeconds, nameof(edgeSeconds));
        for (var k = 0; k < liveBytesAfter.Length; k++)
        {
            if (liveBytesAfter[k] < 0)
            {
                throw new ArgumentException($"layer {k} has negative size {liveBytesAfter[k]}", nameof(liveBytesAfter));
            }
        }
    }

    private static void CheckTimes(ReadOnlySpan<double> seconds, string parameter)
    {
        for (var k = 0; k < seconds.Length; k++)
        {
            if (!double.IsFinite(seconds[k]) || seconds[k] < 0)
            {
                throw new ArgumentException($"layer {k} time {seconds[k]} is not a finite non-negative number", parameter);
            }
        }
    }
}
