using System.Globalization;
using Sciot.Core.Charts;
using Sciot.Core.Evaluation;

namespace Sciot.Client.Scenarios;

/// <summary>The run over all scenarios: <c>summary.csv</c> (one row per scenario) and the cross-scenario charts.</summary>
public static class ScenarioSummary
{
    public const string Header =
        "scenario,clients,duration_s,inferences,throughput_per_s,p50_end_to_end_s,p95_end_to_end_s,mean_device_s,mean_transfer_s," +
        "split_histogram,steady_split,local_refreshes,models,precision,recall,wall_s";

    public static string Row(ScenarioResult r)
    {
        static string F(double v) => double.IsFinite(v) ? v.ToString("0.######", CultureInfo.InvariantCulture) : "";
        // Pooled over the scored frames (TP / (TP + FP)), as the server's detection quality is: a mean of per-frame
        // ratios would count a frame with nothing detected as precision 1 however many objects others got wrong.
        var scored = r.Rows.Where(x => x.Match is not null).Aggregate(DetectionQuality.None, (sum, x) => sum.Add(x.Match!));
        return string.Join(',',
            r.Scenario.Name,
            r.Scenario.ClientCount.ToString(CultureInfo.InvariantCulture),
            F(r.Scenario.DurationSeconds),
            r.Rows.Count.ToString(CultureInfo.InvariantCulture),
            F(r.Throughput),
            F(r.Percentile(0.5)),
            F(r.Percentile(0.95)),
            F(r.Rows.Count == 0 ? double.NaN : r.Rows.Average(x => x.DeviceSeconds)),
            F(r.Rows.Count == 0 ? double.NaN : r.Rows.Average(x => x.TransferSeconds)),
            string.Join(' ', r.SplitHistogram.Select(kv => $"{kv.Key}:{kv.Value}")),
            r.SteadySplit?.ToString(CultureInfo.InvariantCulture) ?? "",
            r.Rows.Count(x => x.Split < 0).ToString(CultureInfo.InvariantCulture),
            string.Join(' ', r.Rows.GroupBy(x => x.Model).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}:{g.Count()}")),
            F(scored.Frames == 0 ? double.NaN : scored.Precision),
            F(scored.Frames == 0 ? double.NaN : scored.Recall),
            F(r.WallSeconds));
    }

    public static async Task WriteAsync(IReadOnlyList<ScenarioResult> results, string outFolder, CancellationToken cancellationToken)
    {
        await File.WriteAllLinesAsync(Path.Combine(outFolder, "summary.csv"), [Header, .. results.Select(Row)], cancellationToken);
        await File.WriteAllBytesAsync(Path.Combine(outFolder, "latency-cdf.png"), LatencyCdfChart.Render("End-to-end latency per scenario",
            [.. results.Select(r => new NamedSamples(r.Scenario.Name, [.. r.Rows.Select(x => x.EndToEndSeconds)]))],
            ScenarioRunner.ChartWidth, ScenarioRunner.ChartHeight + 80), cancellationToken);
        await File.WriteAllBytesAsync(Path.Combine(outFolder, "throughput.png"), ThroughputChart.Render("Throughput per scenario (emulated time)",
            [.. results.Select(r => (r.Scenario.Name, r.Throughput))], ScenarioRunner.ChartWidth, Math.Max(300, 60 + 32 * results.Count)), cancellationToken);
    }
}
