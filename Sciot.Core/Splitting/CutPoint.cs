namespace Sciot.Core.Splitting;

/// <summary>
/// What must cross the network when the device stops after <see cref="Layer"/>: every tensor produced at or before it
/// and still needed after it. Inside a residual block that is two tensors (the block input kept for the Add, and the
/// current output), which is exactly where a single-tensor protocol breaks.
/// </summary>
public sealed record CutPoint(int Layer, IReadOnlyList<TensorInfo> LiveTensors)
{
    public long LiveBytes => LiveTensors.Sum(t => t.Bytes);

    public IEnumerable<string> LiveNames => LiveTensors.Select(t => t.Name);
}
