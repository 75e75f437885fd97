namespace Sciot.Core.Protocol.Json;

/// <summary>What a device may say about itself at registration; every field is optional.</summary>
public sealed record ClientCapabilities
{
    public int? RamKb { get; init; }
    public int? CpuMhz { get; init; }
    public string? DeviceClass { get; init; }

    /// <summary><c>latency</c> or <c>accuracy</c>.</summary>
    public string? Preference { get; init; }

    /// <summary>Models the device already holds (the seed's "model marketplace").</summary>
    public IReadOnlyList<string>? Models { get; init; }
}
