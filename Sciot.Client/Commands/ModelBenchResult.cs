namespace Sciot.Client.Commands;

/// <summary>Everything measured for one model.</summary>
public sealed record ModelBenchResult(
    string Model,
    int Layers,
    TimingSummary Full,
    IReadOnlyList<FusedCutResult> Cuts,
    LayerwiseComparison Layerwise,
    SessionCreationResult Creation,
    SessionMemoryResult Memory,
    TimeSpan Elapsed)
{
    public FusedCutResult WorstCut => Cuts.MaxBy(c => c.Ratio)!;

    public double MedianRatio => BenchStatistics.Median(Cuts.Select(c => c.Ratio).ToArray());

    public FusedCutResult WorstCopiedCut => Cuts.MaxBy(c => c.CopiedRatio)!;

    public double MedianCopiedRatio => BenchStatistics.Median(Cuts.Select(c => c.CopiedRatio).ToArray());
}

/// <summary>
/// Head(k) then tail(k) against the full model timed in the same interleaved loop; the ratios use this cut's own full
/// runs so that drift during the long sweep does not favour early or late cuts. <see cref="Split"/> hands the live
/// tensors over inside ONNX Runtime (RunSplit); <see cref="Copied"/> copies them out to managed arrays and back in
/// (RunHead + RunTail), as a real device/edge boundary must.
/// </summary>
public sealed record FusedCutResult(int K, string Layer, int LiveTensors, long LiveBytes, TimingSummary Full, TimingSummary Split, TimingSummary Copied)
{
    public double Ratio => Split.MedianMs / Full.MedianMs;

    public double CopiedRatio => Copied.MedianMs / Full.MedianMs;
}

/// <summary>The device's one-session-per-layer head over all layers, against the full model, interleaved.</summary>
public sealed record LayerwiseComparison(TimingSummary Full, TimingSummary Layerwise)
{
    public double Ratio => Layerwise.MedianMs / Full.MedianMs;
}
