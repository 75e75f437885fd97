namespace Sciot.Client.Commands;

/// <summary>
/// Everything <c>bench-server</c> measured at one cut. The sequential series are per request; the breakdown uses the
/// server's own clocks from each reply (<c>processing_seconds</c> from the received body to the reply object,
/// <c>edge_seconds</c> around the tail run), paired request by request.
/// </summary>
public sealed record ServerBenchResult(
    string Model,
    int K,
    string Layer,
    int LiveTensors,
    long LiveBytes,
    int PayloadBytes,
    int Requests,
    int Warmup,
    string? LoadAverage,
    TimingSummary Decode,
    TimingSummary Tail,
    TimingSummary Request,
    TimingSummary Processing,
    TimingSummary ServerTail,
    TimingSummary ProcessingBesidesTail,
    TimingSummary OutsideProcessing,
    ConcurrentSeries InProcessLoad,
    ConcurrentSeries ServerLoad,
    TimingSummary Floor,
    ConcurrentSeries FloorLoad,
    TimeSpan Elapsed)
{
    /// <summary>
    /// A lone request may cost at most three times the tail it carries (an empty HTTP round trip alone is ~0.35 ms
    /// here, longer than the k=20 tail); a target to watch, not a test that fails.
    /// </summary>
    public const double LatencyRatioTarget = 3.0;

    /// <summary>Under load the slowest percent of requests may wait at most four times the typical one.</summary>
    public const double LoadSpreadTarget = 4.0;

    /// <summary>Serving many clients should keep three quarters of what the cores can compute in-process.</summary>
    public const double ThroughputRatioTarget = 0.75;

    public double LatencyRatio => Request.MedianMs / Tail.MedianMs;

    public double ThroughputRatio => ServerLoad.PerSecond / InProcessLoad.PerSecond;

    public bool LatencyMet => LatencyRatio <= LatencyRatioTarget;

    /// <summary>p99 / p50 of the requests under concurrent load.</summary>
    public double LoadSpread => ServerLoad.Latency.P99Ms / ServerLoad.Latency.MedianMs;

    public bool LoadSpreadMet => LoadSpread <= LoadSpreadTarget;

    public bool ThroughputMet => ThroughputRatio >= ThroughputRatioTarget;

    /// <summary>
    /// The lowest request / tail any server that receives the body over TCP could reach here: the floor's round trip
    /// plus the tail itself, over the tail.
    /// </summary>
    public double FloorLatencyRatio => (Floor.MedianMs + Tail.MedianMs) / Tail.MedianMs;

    /// <summary>Core-milliseconds of CPU per in-process tail run under load (the bench process is the work).</summary>
    public double TailCpuMs => CpuMsPerOperation(InProcessLoad);

    /// <summary>Core-milliseconds of CPU per floor message under load, sending and receiving end together.</summary>
    public double FloorCpuMs => CpuMsPerOperation(FloorLoad);

    /// <summary>
    /// The most of the in-process throughput any server could keep here when the body arrives over TCP from a client
    /// on the same cores: every request costs at least one tail and one floor message of CPU, so at best the tail gets
    /// tail / (tail + floor) of the machine.
    /// </summary>
    public double ThroughputCeiling => TailCpuMs / (TailCpuMs + FloorCpuMs);

    private static double CpuMsPerOperation(ConcurrentSeries series) => series.ProcessCores / series.PerSecond * 1000;
}
