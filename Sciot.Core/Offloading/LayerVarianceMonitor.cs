namespace Sciot.Core.Offloading;

/// <summary>
/// One <see cref="VarianceDetector"/> per layer. A layer whose timing became unstable also marks the next
/// layer, as the reference does: its output is that layer's input, so the next layer's time is suspect too.
/// Not thread-safe.
/// </summary>
public sealed class LayerVarianceMonitor
{
    private readonly VarianceDetector[] _layers;

    public LayerVarianceMonitor(
        int layerCount,
        int windowSize = VarianceDetector.DefaultWindowSize,
        double threshold = VarianceDetector.DefaultThreshold)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(layerCount);
        _layers = new VarianceDetector[layerCount];
        for (var i = 0; i < layerCount; i++)
        {
            _layers[i] = new VarianceDetector(windowSize, threshold);
        }
    }

    public int LayerCount => _layers.Length;

    public IReadOnlyList<VarianceDetector> Layers => _layers;

    /// <param name="perLayerSeconds">Times of layers 0..k (a device that stopped at k reports only those).</param>
    /// <returns>Ascending indices of layers that triggered, plus the layer after each of them.</returns>
    public IReadOnlyList<int> AddSamples(ReadOnlySpan<double> perLayerSeconds)
    {
        if (perLayerSeconds.Length > _layers.Length)
        {
            throw new ArgumentException(
                $"has {perLayerSeconds.Length} samples but the monitor tracks {_layers.Length} layers", nameof(perLayerSeconds));
        }
        var flagged = new SortedSet<int>();
        for (var i = 0; i < perLayerSeconds.Length; i++)
        {
            if (_layers[i].Add(perLayerSeconds[i]))
            {
                flagged.Add(i);
                if (i + 1 < _layers.Length)
                {
                    flagged.Add(i + 1);
                }
            }
        }
        return [.. flagged];
    }
}
