using Sciot.Core.Evaluation;
using Sciot.Core.Protocol.Json;
using Sciot.Server.Sessions;

namespace Sciot.Server.Cluster;

/// <summary>
/// A client session as its grain stores it: what the in-process store keeps in SQLite (assignment, activity,
/// learnt statistics) plus what an operator set (forced layer, pending refresh) and the replies of the last
/// acknowledged uploads (bounded as the session bounds them), so a failover keeps all three and a device's retry
/// is answered again instead of applied twice. The latest frame and the variance window stay in memory.
/// </summary>
public sealed class ClientSessionRecord
{
    public string ModelName { get; set; } = "";
    public ClientCapabilities? Capabilities { get; set; }
    public string? RemoteAddress { get; set; }
    public DateTimeOffset RegisteredAt { get; set; }
    public DateTimeOffset LastSeen { get; set; }
    public long InferenceCount { get; set; }
    public double?[] DeviceSeconds { get; set; } = [];
    public long[] DeviceSamples { get; set; } = [];
    public double? BandwidthBytesPerSecond { get; set; }
    public DetectionQuality? Quality { get; set; }
    public int? ForcedLayer { get; set; }
    public bool RefreshPending { get; set; }
    public string? RefreshReason { get; set; }
    public List<RememberedReply> Replies { get; set; } = [];

    public static ClientSessionRecord Of(ClientSessionSnapshot s, IEnumerable<(ResultKey Key, InferenceResultResponse Reply)> replies) => new()
    {
        ModelName = s.ModelName,
        Capabilities = s.Capabilities,
        RemoteAddress = s.RemoteAddress,
        RegisteredAt = s.RegisteredAt,
        LastSeen = s.LastSeen,
        InferenceCount = s.InferenceCount,
        DeviceSeconds = s.Statistics.DeviceSeconds.ToArray(),
        DeviceSamples = s.Statistics.DeviceSamples.ToArray(),
        BandwidthBytesPerSecond = s.Statistics.BandwidthBytesPerSecond,
        Quality = s.Statistics.Quality,
        ForcedLayer = s.ForcedLayer,
        RefreshPending = s.RefreshPending,
        RefreshReason = s.RefreshReason,
        Replies = replies.Select(r => RememberedReply.Of(r.Key, r.Reply)).ToList(),
    };

    /// <summary>The session again; the operator's settings are applied through the session's own intents.</summary>
    public ClientSession ToSession(string clientId, int layerCount, SessionSettings settings)
    {
        var session = ClientSession.Restore(clientId, ModelName, layerCount, Capabilities, RemoteAddress, RegisteredAt, LastSeen, InferenceCount,
            new ClientStatistics(DeviceSeconds, DeviceSamples, BandwidthBytesPerSecond, Quality), settings);
        if (ForcedLayer is { } layer && layer < layerCount)
        {
            session.ForceLayer(layer);
        }
        if (RefreshPending)
        {
            session.RequestRefresh(RefreshReason ?? "refresh pending before fail-over");
        }
        foreach (var remembered in Replies.Where(r => r.Reply is not null))
        {
            session.RememberAcknowledged(remembered.Key, remembered.Reply!);
        }
        return session;
    }
}
