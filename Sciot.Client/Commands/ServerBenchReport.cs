using static System.FormattableString;

namespace Sciot.Client.Commands;

/// <summary>Writes the <c>bench-server</c> tables and the summary block meant to be pasted into the README.</summary>
public sealed class ServerBenchReport(TextWriter output, ServerBenchOptions options)
{
    public void WriteTables(ServerBenchResult r)
    {
        output.WriteLine();
        output.WriteLine(Invariant(
            $"== {r.Model} at k={r.K} ({r.Layer}): {r.LiveTensors} live tensors, {r.LiveBytes / 1024.0:F1} KiB; v2 payload {r.PayloadBytes} bytes; server {options.Server} =="));

        output.WriteLine();
        output.WriteLine(Invariant(
            $"1 client, sequential: {r.Requests} requests after {r.Warmup} warm-up, each interleaved with an in-process tail run and a transport-floor message (order rotating)"));
        output.WriteLine("the indented rows are per-request differences of the server's own clocks (processing_seconds, edge_seconds in each reply)");
        output.WriteLine(Invariant($"{"",-72} {"p50 ms",8} {"p90 ms",8} {"p99 ms",8}"));
        Row("in-process tail, SplitModel.RunTail(k)", r.Tail);
        Row("request round trip, POST /api/device_inference_result", r.Request);
        Row("  server processing: received body to reply object", r.Processing);
        Row("    tail inside the server (edge_seconds)", r.ServerTail);
        Row("    besides the tail: payload decode, checks, statistics, SQLite, decision", r.ProcessingBesidesTail);
        Row("  outside processing: HTTP client, loopback, Kestrel, body read, reply JSON", r.OutsideProcessing);
        Row("in-process payload decode, ResultPayloadV2.Parse (part of processing)", r.Decode);
        Row("transport floor: the payload over bare loopback TCP, 1-byte reply", r.Floor);
        output.WriteLine(Invariant(
            $"request p50 / in-process tail p50: {r.LatencyRatio:F2}x; target <= {ServerBenchResult.LatencyRatioTarget:F1}x: {Verdict(r.LatencyMet)}"));
        output.WriteLine(Invariant(
            $"  lowest any server receiving the body over TCP reaches here: (floor + tail) / tail = {r.FloorLatencyRatio:F2}x"));

        output.WriteLine();
        output.WriteLine(Invariant(
            $"{r.ServerLoad.Workers} concurrent loops (one client id each): {r.InProcessLoad.Runs.Count} runs per side of {r.Requests} operations, sides rotating (in-process, server, floor)"));
        output.WriteLine("per s = median over the runs (min..max); p50/p99 over every operation; bench CPU = this process's CPU time / wall time, in cores");
        output.WriteLine("(for the in-process side that is the work itself; during the requests it is the client's share of the machine)");
        output.WriteLine(Invariant($"{"",-44} {"per s",8} {"min..max",13} {"p50 ms",8} {"p99 ms",8} {"bench CPU",10}"));
        LoadRow("in-process tail runs, one shared SplitModel", r.InProcessLoad);
        LoadRow("requests to the server", r.ServerLoad);
        LoadRow("transport floor messages (both ends here)", r.FloorLoad);
        output.WriteLine(Invariant(
            $"server / in-process throughput: {r.ThroughputRatio * 100:F0}%; target >= {ServerBenchResult.ThroughputRatioTarget * 100:F0}%: {Verdict(r.ThroughputMet)}"));
        output.WriteLine(Invariant(
            $"  CPU per operation: tail {r.TailCpuMs:F3} ms, floor message {r.FloorCpuMs:F3} ms; most any server reaches here: tail / (tail + floor) = {r.ThroughputCeiling * 100:F0}%"));
        output.WriteLine(Invariant(
            $"request p99 / p50 under load: {r.LoadSpread:F2}x; target <= {ServerBenchResult.LoadSpreadTarget:F1}x: {Verdict(r.LoadSpreadMet)}"));

        output.WriteLine();
        output.WriteLine("targets, side by side:");
        output.WriteLine(Invariant($"  1 client: request p50 / tail p50      {r.LatencyRatio,7:F2}x  (<= {ServerBenchResult.LatencyRatioTarget:F1}x)  {Verdict(r.LatencyMet)}   floor {r.FloorLatencyRatio:F2}x"));
        output.WriteLine(Invariant($"  {r.ServerLoad.Workers} clients: server / in-process        {r.ThroughputRatio * 100,6:F0}%   (>= {ServerBenchResult.ThroughputRatioTarget * 100:F0}%)   {Verdict(r.ThroughputMet)}   ceiling {r.ThroughputCeiling * 100:F0}%"));
        output.WriteLine(Invariant($"  {r.ServerLoad.Workers} clients: request p99 / p50          {r.LoadSpread,7:F2}x  (<= {ServerBenchResult.LoadSpreadTarget:F1}x)  {Verdict(r.LoadSpreadMet)}"));
    }

    public void WriteSummary(ServerBenchResult r)
    {
        output.WriteLine();
        output.WriteLine("== summary (markdown, for the README) ==");
        output.WriteLine();
        var load = r.LoadAverage is null ? "" : $", load average {r.LoadAverage} (1 / 5 min) at start";
        output.WriteLine(Invariant(
            $"`bench-server --k {r.K} --requests {r.Requests} --concurrency {r.ServerLoad.Workers} --model {r.Model}` against a server on loopback, {BenchReport.Machine}{load}; {r.Requests} timed requests after {r.Warmup} warm-up one at a time, {r.ServerLoad.Runs.Count} rotating runs of {r.Requests} per side (in-process, server, TCP floor) concurrently; whole bench {r.Elapsed.TotalSeconds:F0} s."));
        output.WriteLine();
        output.WriteLine(Invariant(
            $"| model | cut k (layer) | live tensors (KiB) | in-process tail ms p50 (p99) | request ms p50 (p99) | request / tail | target <= {ServerBenchResult.LatencyRatioTarget:F1} | server processing p50 | of it tail | besides tail | outside processing | in-process decode | TCP floor p50 | floor + tail / tail |"));
        output.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        output.WriteLine(Invariant(
            $"| `{r.Model}` | {r.K} `{r.Layer}` | {r.LiveTensors} ({r.LiveBytes / 1024.0:F1}) | {r.Tail.MedianMs:F3} ({r.Tail.P99Ms:F3}) | {r.Request.MedianMs:F3} ({r.Request.P99Ms:F3}) | {r.LatencyRatio:F2} | {Verdict(r.LatencyMet)} | {r.Processing.MedianMs:F3} | {r.ServerTail.MedianMs:F3} | {r.ProcessingBesidesTail.MedianMs:F3} | {r.OutsideProcessing.MedianMs:F3} | {r.Decode.MedianMs:F3} | {r.Floor.MedianMs:F3} | {r.FloorLatencyRatio:F2} |"));
        output.WriteLine();
        output.WriteLine(Invariant(
            $"| concurrent loops | in-process tail runs/s, median (min..max) | server requests/s, median (min..max) | server / in-process | target >= {ServerBenchResult.ThroughputRatioTarget * 100:F0}% | request ms under load p50 (p99) | p99 / p50 | target <= {ServerBenchResult.LoadSpreadTarget:F1} | bench client CPU during the requests, cores | TCP floor messages/s | CPU ms per tail / per floor message | ceiling tail / (tail + floor) |"));
        output.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|");
        output.WriteLine(Invariant(
            $"| {r.ServerLoad.Workers} | {r.InProcessLoad.PerSecond:F0} ({Spread(r.InProcessLoad)}) | {r.ServerLoad.PerSecond:F0} ({Spread(r.ServerLoad)}) | {r.ThroughputRatio * 100:F0}% | {Verdict(r.ThroughputMet)} | {r.ServerLoad.Latency.MedianMs:F2} ({r.ServerLoad.Latency.P99Ms:F2}) | {r.LoadSpread:F2} | {Verdict(r.LoadSpreadMet)} | {r.ServerLoad.ProcessCores:F2} of {Environment.ProcessorCount} | {r.FloorLoad.PerSecond:F0} | {r.TailCpuMs:F3} / {r.FloorCpuMs:F3} | {r.ThroughputCeiling * 100:F0}% |"));
    }

    private void Row(string label, TimingSummary t) =>
        output.WriteLine(Invariant($"{label,-72} {t.MedianMs,8:F3} {t.P90Ms,8:F3} {t.P99Ms,8:F3}"));

    private void LoadRow(string label, ConcurrentSeries series) =>
        output.WriteLine(Invariant(
            $"{label,-44} {series.PerSecond,8:F0} {Spread(series),13} {series.Latency.MedianMs,8:F3} {series.Latency.P99Ms,8:F3} {series.ProcessCores,10:F2}"));

    private static string Spread(ConcurrentSeries series) => Invariant($"{series.MinPerSecond:F0}..{series.MaxPerSecond:F0}");

    private static string Verdict(bool met) => met ? "PASS" : "MISS";
}
