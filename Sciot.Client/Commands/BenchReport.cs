using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using static System.FormattableString;

namespace Sciot.Client.Commands;

/// <summary>Writes the per-model tables and the summary block meant to be pasted into the README.</summary>
public sealed class BenchReport(TextWriter output, BenchOptions options)
{
    /// <summary>The split path may cost at most 10 % over the full model; a target to watch, not a test that fails.</summary>
    public const double FusedRatioTarget = 1.10;

    public static string Configuration { get; } =
        typeof(BenchReport).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "unknown";

    public static bool IsRelease => Configuration == "Release";

    /// <summary>What a figure depends on besides the code, for every bench summary.</summary>
    public static string Machine =>
        Invariant($"{Configuration} build, {RuntimeInformation.FrameworkDescription}, ONNX Runtime {OrtEnv.Instance().GetVersionString()}, 1 intra-op thread, {RuntimeInformation.OSDescription} {RuntimeInformation.ProcessArchitecture}, {Environment.ProcessorCount} logical cores");

    /// <summary>"1.52 / 2.10" (1 and 5 minutes) where the OS tells (Linux), else null: on a shared machine it says how much the figures had to share the cores.</summary>
    public static string? LoadAverage()
    {
        const string path = "/proc/loadavg";
        if (!File.Exists(path))
        {
            return null;
        }
        var fields = File.ReadAllText(path).Split(' ');
        return fields.Length >= 2 ? $"{fields[0]} / {fields[1]}" : null;
    }

    public void WriteModel(ModelBenchResult r)
    {
        output.WriteLine();
        output.WriteLine(Invariant($"== {r.Model}: {r.Layers} layers, measured in {r.Elapsed.TotalSeconds:F0} s =="));
        output.WriteLine(Invariant($"full model (RunFull): median {r.Full.MedianMs:F3} ms, p90 {r.Full.P90Ms:F3} ms"));

        output.WriteLine();
        output.WriteLine("fused head(k) + tail(k), interleaved with full-model runs (ms; ratio = median / full median of the same loop)");
        output.WriteLine("split = live tensors handed over inside ORT (RunSplit); copied = through managed arrays (RunHead + RunTail)");
        output.WriteLine(Invariant($"{"k",3}  {"layer",-30} {"live",4} {"live KiB",9} {"full med",9} {"split med",9} {"split p90",9} {"ratio",6} {"copied med",10} {"ratio",6}"));
        foreach (var c in r.Cuts)
        {
            output.WriteLine(Invariant(
                $"{c.K,3}  {c.Layer,-30} {c.LiveTensors,4} {c.LiveBytes / 1024.0,9:F1} {c.Full.MedianMs,9:F3} {c.Split.MedianMs,9:F3} {c.Split.P90Ms,9:F3} {c.Ratio,6:F3} {c.Copied.MedianMs,10:F3} {c.CopiedRatio,6:F3}"));
        }
        var worst = r.WorstCut;
        var worstCopied = r.WorstCopiedCut;
        output.WriteLine(Invariant(
            $"worst ratio {worst.Ratio:F3} at k={worst.K} ({worst.Layer}), median of ratios {r.MedianRatio:F3}; target <= {FusedRatioTarget:F2}: {Verdict(worst.Ratio)}"));
        output.WriteLine(Invariant(
            $"with managed copies: worst {worstCopied.CopiedRatio:F3} at k={worstCopied.K} ({worstCopied.Layer}), median of ratios {r.MedianCopiedRatio:F3}"));

        output.WriteLine();
        var lw = r.Layerwise;
        output.WriteLine(Invariant(
            $"layer-by-layer head k={r.Layers - 1} (one session per layer): median {lw.Layerwise.MedianMs:F3} ms, p90 {lw.Layerwise.P90Ms:F3} ms; interleaved full {lw.Full.MedianMs:F3} ms; ratio {lw.Ratio:F2}"));

        output.WriteLine();
        var cr = r.Creation;
        output.WriteLine(Invariant($"session creation (median of {options.CreationRepeats}; create = extract part + new session, first call = first Run* on a fresh SplitModel)"));
        output.WriteLine(Invariant($"{"part",-14} {"create ms",10} {"first call ms",14}"));
        foreach (var p in cr.Heads.Prepend(cr.Full).Concat(cr.Tails))
        {
            output.WriteLine(Invariant($"{p.Label,-14} {p.CreateMs,10:F2} {p.FirstCallMs,14:F2}"));
        }
        output.WriteLine(Invariant(
            $"{cr.Segments} layer segments: total {cr.SegmentsTotalMs:F1} ms, median {cr.SegmentMedianMs:F2} ms, max {cr.SegmentMaxMs:F2} ms; LayerwiseHeadRunner.Warm() on a fresh SplitModel {cr.LayerwiseWarmMs:F1} ms"));

        output.WriteLine();
        var m = r.Memory;
        output.WriteLine(Invariant(
            $"memory for {m.Sessions} tail sessions (each run once): private (VmData on Linux) {Mb(m.PrivateBytes):F1} MB, resident {Mb(m.WorkingSetBytes):F1} MB, managed heap {Mb(m.ManagedBytes):F2} MB"));
        output.WriteLine(Invariant(
            $"per session: private {m.PrivateMbPerSession:F2} MB, resident {m.WorkingSetMbPerSession:F2} MB, managed {m.ManagedMbPerSession:F3} MB"));
    }

    public void WriteSummary(IReadOnlyList<ModelBenchResult> results, TimeSpan elapsed)
    {
        output.WriteLine();
        output.WriteLine("== summary (markdown, for the README) ==");
        output.WriteLine();
        output.WriteLine(Invariant(
            $"`bench`, {Machine}; {options.Runs} timed runs after {options.Warmup} warm-up runs per series, split and full runs interleaved; medians; whole bench {elapsed.TotalSeconds:F0} s."));
        output.WriteLine();
        output.WriteLine(Invariant($"| model | layers | full model ms (p90) | fused head+tail / full: worst (k) | median over k | target <= {FusedRatioTarget:F2} | with managed copies: worst (k) | median over k | layer-by-layer head / full |"));
        output.WriteLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var r in results)
        {
            var worst = r.WorstCut;
            var worstCopied = r.WorstCopiedCut;
            output.WriteLine(Invariant(
                $"| `{r.Model}` | {r.Layers} | {r.Full.MedianMs:F2} ({r.Full.P90Ms:F2}) | {worst.Ratio:F3} (k={worst.K} `{worst.Layer}`) | {r.MedianRatio:F3} | {Verdict(worst.Ratio)} | {worstCopied.CopiedRatio:F3} (k={worstCopied.K}) | {r.MedianCopiedRatio:F3} | {r.Layerwise.Ratio:F2} |"));
        }
        output.WriteLine();
        output.WriteLine("| model | create ms: full | head (k) | tail (k) | all layer segments (median each) | MB per cached session: private (VmData) | resident | managed |");
        output.WriteLine("|---|---|---|---|---|---|---|---|");
        foreach (var r in results)
        {
            var cr = r.Creation;
            var m = r.Memory;
            output.WriteLine(Invariant(
                $"| `{r.Model}` | {cr.Full.CreateMs:F1} | {Parts(cr.Heads)} | {Parts(cr.Tails)} | {cr.SegmentsTotalMs:F0} ({cr.SegmentMedianMs:F2}) | {m.PrivateMbPerSession:F2} | {m.WorkingSetMbPerSession:F2} | {m.ManagedMbPerSession:F3} |"));
        }
    }

    private static string Verdict(double ratio) => ratio <= FusedRatioTarget ? "PASS" : "MISS";

    private static string Parts(IEnumerable<PartCreation> parts) =>
        string.Join(", ", parts.Select(p => Invariant($"{p.CreateMs:F1} ({p.K})")));

    private static double Mb(long bytes) => bytes / (1024.0 * 1024.0);
}
