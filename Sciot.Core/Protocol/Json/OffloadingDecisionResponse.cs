namespace Sciot.Core.Protocol.Json;

/// <summary><c>GET /api/offloading_layer</c>: k in -1..L-1 (-1 = run every layer on the device and report the times).</summary>
public sealed record OffloadingDecisionResponse
{
    public required int OffloadingLayerIndex { get; init; }
    public required string ModelName { get; init; }
    public required string ModelVersion { get; init; }
    public required string Reason { get; init; }
}
