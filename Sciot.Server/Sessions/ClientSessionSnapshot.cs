using Sciot.Core.Evaluation;
using Sciot.Core.Protocol.Json;

namespace Sciot.Server.Sessions;

/// <summary>A consistent copy of one client's session, for readers (clients API, fleet page, statistics, rebalancing).</summary>
public sealed record ClientSessionSnapshot
{
    public required string ClientId { get; init; }
    public required string ModelName { get; init; }
    public ClientCapabilities? Capabilities { get; init; }
    public string? RemoteAddress { get; init; }
    public required DateTimeOffset RegisteredAt { get; init; }
    public required DateTimeOffset LastSeen { get; init; }
    public required long InferenceCount { get; init; }
    public required long FramesReceived { get; init; }
    public DateTimeOffset? LatestFrameAt { get; init; }

    /// <summary>The decision the client was last given (null until one was made).</summary>
    public OffloadingDecision? CurrentDecision { get; init; }

    /// <summary>The split the client was last told to use (-1 until a decision was made).</summary>
    public int CurrentSplit => CurrentDecision?.Layer ?? -1;
    public int? ForcedLayer { get; init; }
    public required bool RefreshPending { get; init; }
    public string? RefreshReason { get; init; }
    public required ClientStatistics Statistics { get; init; }

    /// <summary>Coefficient of variation of each layer's device time over the variance window (0 with fewer than two samples).</summary>
    public required IReadOnlyList<double> DeviceTimeVariation { get; init; }

    /// <summary>Detection quality over the last <see cref="QualityWindow"/> reported results (the running total is in <see cref="Statistics"/>).</summary>
    public DetectionQuality RecentQuality { get; init; } = DetectionQuality.None;

    public int QualityWindow { get; init; }

    public bool HasFullDeviceProfile => Statistics.DeviceSeconds.All(s => s.HasValue);
}
