namespace Sciot.Server.Api;

/// <summary>What <c>/api/statistics</c> returns: per-model and per-client aggregates over the stored records and the live sessions.</summary>
public sealed record StatisticsView(IReadOnlyList<ModelStatisticsView> Models, IReadOnlyList<ClientStatisticsView> Clients);

/// <summary>
/// One served model: clients assigned now, stored results and their mean times (weighted by results), the edge's
/// per-layer time averages, and how often each split layer was used (layer → results).
/// </summary>
public sealed record ModelStatisticsView(
    string ModelName,
    int Clients,
    long Inferences,
    double? MeanDeviceSeconds,
    double? MeanTransferSeconds,
    double? MeanEdgeSeconds,
    IReadOnlyList<double> EdgeSecondsEma,
    IReadOnlyDictionary<int, long> SplitHistogram);

/// <summary>
/// One client: its session now (split, bandwidth, per-layer device-time EMAs and their variation over the variance
/// window, refresh state, detection quality) and its stored results (count, mean times, mean interval between results, split histogram).
/// </summary>
public sealed record ClientStatisticsView(
    string ClientId,
    string ModelName,
    int CurrentSplit,
    DateTimeOffset LastSeen,
    double? BandwidthBytesPerSecond,
    long Inferences,
    double? MeanDeviceSeconds,
    double? MeanTransferSeconds,
    double? MeanEdgeSeconds,
    double? CycleSeconds,
    IReadOnlyList<double?> DeviceSecondsEma,
    IReadOnlyList<double> DeviceTimeVariation,
    bool RefreshPending,
    string? RefreshReason,
    IReadOnlyDictionary<int, long> SplitHistogram,
    DetectionQualityView? DetectionQuality);
