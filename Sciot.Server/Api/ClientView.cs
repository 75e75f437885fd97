using Sciot.Core.Protocol.Json;
using Sciot.Server.Sessions;

namespace Sciot.Server.Api;

/// <summary>What <c>/api/clients</c> shows of one client (snake_case JSON).</summary>
public sealed record ClientView(
    string ClientId,
    string ModelName,
    int CurrentSplit,
    string? CurrentReason,
    IReadOnlyList<double>? EstimatedSeconds,
    int? ForcedLayer,
    bool RefreshPending,
    string? RefreshReason,
    IReadOnlyList<double?> DeviceSecondsEma,
    IReadOnlyList<long> DeviceSamples,
    double? BandwidthBytesPerSecond,
    DateTimeOffset RegisteredAt,
    DateTimeOffset LastSeen,
    long InferenceCount,
    long FramesReceived,
    ClientCapabilities? Capabilities,
    string? RemoteAddress,
    DetectionQualityView? DetectionQuality)
{
    public static ClientView Of(ClientSessionSnapshot s) => new(s.ClientId, s.ModelName, s.CurrentSplit, s.CurrentDecision?.Reason,
        s.CurrentDecision?.EstimatedSeconds, s.ForcedLayer, s.RefreshPending, s.RefreshReason, s.Statistics.DeviceSeconds, s.Statistics.DeviceSamples,
        s.Statistics.BandwidthBytesPerSecond, s.RegisteredAt, s.LastSeen, s.InferenceCount, s.FramesReceived, s.Capabilities, s.RemoteAddress,
        DetectionQualityView.Of(s));
}
