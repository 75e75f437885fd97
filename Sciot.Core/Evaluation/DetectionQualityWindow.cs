using Sciot.Core.Imaging;

namespace Sciot.Core.Evaluation;

/// <summary>
/// The match counts of the last <see cref="Capacity"/> evaluated frames: a device's live detection quality, which
/// follows a change (another model, another scene mix) that a total since the start would average away. Not thread-safe.
/// </summary>
public sealed class DetectionQualityWindow
{
    private readonly Queue<DetectionMatchResult> _frames = new();

    public DetectionQualityWindow(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
    }

    public int Capacity { get; }

    public void Add(DetectionMatchResult frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        _frames.Enqueue(frame);
        if (_frames.Count > Capacity)
        {
            _frames.Dequeue();
        }
    }

    public void Clear() => _frames.Clear();

    /// <summary>The window's sum (recomputed: a window is small, and a sum that is never subtracted from cannot drift).</summary>
    public DetectionQuality Current => _frames.Aggregate(DetectionQuality.None, (sum, frame) => sum.Add(frame));
}
