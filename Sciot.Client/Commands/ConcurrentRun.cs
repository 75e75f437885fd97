namespace Sciot.Client.Commands;

/// <summary>
/// A fixed number of operations spread over concurrent loops: each one's time, the wall time of them all, and the CPU
/// this process used meanwhile, in cores (CPU time / wall time).
/// </summary>
public sealed record ConcurrentRun(int Workers, double[] Milliseconds, TimeSpan Elapsed, double ProcessCores)
{
    public double PerSecond => Milliseconds.Length / Elapsed.TotalSeconds;
}
