using Sciot.Client.Frames;
using Sciot.Core.Imaging;
using Sciot.Core.Protocol.Json;

namespace Sciot.Client.Device;

/// <summary>What one cycle did: mode, model, the server's decision, which layers ran locally, what was predicted.</summary>
public sealed record CycleReport(
    long Cycle,
    bool Split,
    string ModelName,
    int Decision,
    int LastLayerRun,
    double[] ReportedLayerSeconds,
    PredictionSummary? ServerPrediction,
    IReadOnlyList<Detection>? LocalDetections,
    DetectionMatchResult? Accuracy,
    string? Problem)
{
    /// <summary>Where the cycle's time went, as the emulated device experienced it.</summary>
    public CycleTiming? Timing { get; init; }

    /// <summary>The frame the cycle ran on (with ground truth for synthetic scenes).</summary>
    public Frame? Frame { get; init; }
}

/// <summary>
/// One inference's emulated time: device layers, upload (link delay and HTTP, without the server's processing), edge
/// layers, and end to end (device + upload + server processing); bytes sent and the link's nominal bandwidth then.
/// A local-only cycle has only device time.
/// </summary>
public sealed record CycleTiming(double DeviceSeconds, double TransferSeconds, double EdgeSeconds, double EndToEndSeconds, long PayloadBytes,
    double LinkBandwidthBytesPerSecond);
