using Sciot.Core.Offloading;

namespace Sciot.Client.Device;

/// <summary>
/// A slow uplink, waited before an upload completes: latency drawn from a distribution plus bytes over the bandwidth
/// (as scheduled for the time since this device started, varied per upload), and a lost upload sent once more.
/// The schedule follows <paramref name="clock"/>: the system clock, or a scenario's emulated device clock.
/// </summary>
public sealed class LinkEmulator(LinkOptions options, TimeProvider clock)
{
    private readonly Random _random = new();
    private readonly long _start = clock.GetTimestamp();

    /// <summary>The nominal bandwidth now (bytes/s; 0 = uncapped), before per-upload variation.</summary>
    public double CurrentBandwidth => BandwidthAt(clock.GetElapsedTime(_start).TotalSeconds);

    public double BandwidthAt(double secondsSinceStart)
    {
        if (options.Schedule.Count == 0)
        {
            return options.BandwidthBytesPerSecond;
        }
        var t = options.ScheduleRepeatSeconds > 0 ? secondsSinceStart % options.ScheduleRepeatSeconds : secondsSinceStart;
        var step = options.Schedule.Where(s => s.AtSeconds <= t).MaxBy(s => s.AtSeconds);
        return step?.BandwidthBytesPerSecond ?? options.BandwidthBytesPerSecond;
    }

    public TimeSpan DelayFor(long bytes)
    {
        var bandwidth = CurrentBandwidth;
        lock (_random)
        {
            var sends = _random.NextDouble() < options.LossProbability ? 2 : 1;
            double seconds = 0;
            for (var i = 0; i < sends; i++)
            {
                var rate = bandwidth * Gaussian.Factor(_random, options.BandwidthJitter);
                seconds += options.Latency.Sample(_random) + (bandwidth > 0 ? bytes / Math.Max(rate, bandwidth * 0.05) : 0);
            }
            return TimeSpan.FromSeconds(seconds);
        }
    }
}
