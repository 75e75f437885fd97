namespace Sciot.Client.Load;

/// <summary>What a load run measured: per endpoint, per device, and the server process.</summary>
public sealed record LoadReport(
    LoadSettings Settings,
    double Seconds,
    IReadOnlyList<EndpointFigures> Endpoints,
    IReadOnlyList<DeviceFigures> Devices,
    ProcessUsage? ServerBefore,
    ProcessUsage? ServerAfter)
{
    public long Requests => Endpoints.Sum(e => e.Requests);
    public long Errors => Endpoints.Sum(e => e.Errors);
    public long RateLimited => Endpoints.Sum(e => e.RateLimited);
    public double RequestsPerSecond => Requests / Seconds;

    /// <summary>Server CPU time over the run as a share of one core (200% = both cores of this machine busy).</summary>
    public double? ServerCpuPercent => ServerBefore is { } b && ServerAfter is { } a ? 100 * (a.CpuSeconds - b.CpuSeconds) / Seconds : null;

    public void Write(TextWriter output)
    {
        var s = Settings;
        output.WriteLine($"`load --devices {s.Devices} --seconds {s.Duration.TotalSeconds:0} --cycle-interval-ms {s.CycleIntervalMs}`, " +
            $"splits {string.Join(",", s.Splits)}, {Sciot.Client.Commands.BenchReport.Machine}, run {Seconds:F1} s.");
        output.WriteLine();
        output.WriteLine("| endpoint | requests | requests/s | ms p50 | ms p99 | 429 | errors |");
        output.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var e in Endpoints)
        {
            output.WriteLine($"| `{e.Name}` | {e.Requests} | {e.Requests / Seconds:F1} | {e.P50Ms:F2} | {e.P99Ms:F2} | {e.RateLimited} | {e.Errors} |");
        }
        output.WriteLine();
        output.WriteLine("| split | devices | cycles | split cycles | local-only cycles | failed cycles | min cycles per device |");
        output.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var g in Devices.GroupBy(d => d.Split).OrderBy(g => g.Key))
        {
            output.WriteLine($"| {g.Key} | {g.Count()} | {g.Sum(d => d.Cycles)} | {g.Sum(d => d.Cycles - d.LocalOnlyCycles)} | {g.Sum(d => d.LocalOnlyCycles)} | " +
                $"{g.Sum(d => d.FailedCycles)} | {g.Min(d => d.Cycles)} |");
        }
        output.WriteLine();
        var server = ServerAfter is { } after
            ? $"server RSS {after.ResidentBytes / 1048576.0:F0} MiB (peak {after.PeakResidentBytes / 1048576.0:F0} MiB), CPU {ServerCpuPercent:F0}% of one core"
            : "server memory and CPU not readable (not a local process)";
        output.WriteLine($"load: {s.Devices} devices, {Seconds:F0} s: {RequestsPerSecond:F0} requests/s, {Errors} errors, {RateLimited} rate-limited, " +
            $"{Devices.Sum(d => d.Cycles)} cycles (min {Devices.Min(d => d.Cycles)} per device), {server}");
    }
}

public sealed record EndpointFigures(string Name, long Requests, double P50Ms, double P99Ms, long RateLimited, long Errors);

public sealed record DeviceFigures(string ClientId, int Split, long Cycles, long LocalOnlyCycles, long FailedCycles, long AcknowledgedResults);
