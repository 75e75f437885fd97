namespace Sciot.Core.Charts;

/// <summary>One layer of a model as the per-layer chart shows it: its times on both sides and the bytes live if the device stops after it.</summary>
public sealed record LayerCost(string Name, double DeviceSeconds, double EdgeSeconds, long BytesAfter);
