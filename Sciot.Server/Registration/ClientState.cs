using Sciot.Core.Offloading;
using Sciot.Core.Protocol.Json;
using Sciot.Server.Storage;

namespace Sciot.Server.Registration;

/// <summary>
/// Everything the server knows about one client. Mutated under <see cref="Sync"/>; the per-layer statistics are
/// reset when the client's model changes, because layer k of one model says nothing about layer k of another.
/// </summary>
public sealed class ClientState(string clientId, string modelName, int layerCount, OffloadingOptionsSnapshot options)
{
    public Lock Sync { get; } = new();
    public string ClientId { get; } = clientId;
    public string ModelName { get; private set; } = modelName;
    public ClientCapabilities? Capabilities { get; set; }
    public string? RemoteAddress { get; set; }
    public DateTimeOffset RegisteredAt { get; set; } = DateTimeOffset.UtcNow;
    public DateTimeOffset LastSeen { get; set; } = DateTimeOffset.UtcNow;
    public long InferenceCount { get; set; }
    public Ema[] DeviceSeconds { get; private set; } = NewEmas(layerCount, options.EmaAlpha);
    public long[] DeviceSamples { get; private set; } = new long[layerCount];
    public BandwidthEstimator Bandwidth { get; private set; } = new(options.EmaAlpha);
    public LayerVarianceMonitor Variance { get; private set; } = new(layerCount, options.VarianceWindow, options.VarianceThreshold);
    public bool RefreshPending { get; set; }
    public string? RefreshReason { get; set; }
    public int? ForcedLayer { get; set; }
    public int LastDecision { get; set; } = -1;
    public byte[]? LatestFrame { get; set; }
    public DateTimeOffset? LatestFrameAt { get; set; }
    public long FramesReceived { get; set; }

    public bool HasFullDeviceProfile => DeviceSeconds.All(e => e.HasValue);

    public void AssignModel(string modelName, int layerCount, OffloadingOptionsSnapshot options)
    {
        if (modelName == ModelName && DeviceSeconds.Length == layerCount)
        {
            return;
        }
        ModelName = modelName;
        ResetStatistics(layerCount, options);
        ForcedLayer = null;
    }

    public void ResetStatistics(int layerCount, OffloadingOptionsSnapshot options)
    {
        DeviceSeconds = NewEmas(layerCount, options.EmaAlpha);
        DeviceSamples = new long[layerCount];
        Bandwidth = new BandwidthEstimator(options.EmaAlpha);
        Variance = new LayerVarianceMonitor(layerCount, options.VarianceWindow, options.VarianceThreshold);
    }

    /// <summary>After a trigger the window starts over, so one noisy stretch asks for one refresh, not one per cycle.</summary>
    public void ResetVariance(OffloadingOptionsSnapshot options) =>
        Variance = new LayerVarianceMonitor(DeviceSeconds.Length, options.VarianceWindow, options.VarianceThreshold);

    public StoredClient ToStored(string? capabilitiesJson) =>
        new(ClientId, ModelName, capabilitiesJson, RemoteAddress, RegisteredAt, LastSeen, InferenceCount);

    private static Ema[] NewEmas(int count, double alpha) => Enumerable.Range(0, count).Select(_ => new Ema(alpha)).ToArray();
}

/// <summary>The offloading settings a client's statistics are built with.</summary>
public sealed record OffloadingOptionsSnapshot(double EmaAlpha, int VarianceWindow, double VarianceThreshold);
