namespace Sciot.Client.Scenarios;

/// <summary>A device's emulated time: it moves only when the scenario advances it by an inference's end-to-end time.</summary>
public sealed class EmulatedClock : TimeProvider
{
    private long _ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Interlocked.Read(ref _ticks);

    public double Seconds => (double)GetTimestamp() / TimeSpan.TicksPerSecond;

    public void Advance(double seconds) => Interlocked.Add(ref _ticks, (long)(Math.Max(0, seconds) * TimeSpan.TicksPerSecond));
}
