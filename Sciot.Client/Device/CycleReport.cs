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
    string? Problem);
