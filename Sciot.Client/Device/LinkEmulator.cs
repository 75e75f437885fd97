namespace Sciot.Client.Device;

/// <summary>A slow uplink: latency drawn from a distribution plus bytes / bandwidth, waited before an upload completes.</summary>
public sealed class LinkEmulator(LinkOptions options)
{
    private readonly Random _random = new();

    public TimeSpan DelayFor(long bytes)
    {
        double latency;
        lock (_random)
        {
            latency = options.Latency.Sample(_random);
        }
        var transfer = options.BandwidthBytesPerSecond > 0 ? bytes / options.BandwidthBytesPerSecond : 0;
        return TimeSpan.FromSeconds(latency + transfer);
    }
}
