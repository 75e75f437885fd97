using System.Text.Json;
using Sciot.Core.Evaluation;
using Sciot.Core.Protocol.Json;

namespace Sciot.Server.Sessions;

/// <summary>
/// What a client's measurements taught the server, as stored (one row per client): the EMA of each layer's device
/// time (null until measured), the samples behind each, the uplink estimate, and the running detection quality of the
/// model's predictions (null until the device reported one).
/// </summary>
public sealed record ClientStatistics(IReadOnlyList<double?> DeviceSeconds, IReadOnlyList<long> DeviceSamples, double? BandwidthBytesPerSecond,
    DetectionQuality? Quality = null)
{
    /// <summary>The stored form (the <c>statistics</c> column, and what a result's commit writes).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, SciotJson.Options);
}
