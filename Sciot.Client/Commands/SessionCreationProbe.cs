using Google.Protobuf;
using Sciot.Core.Splitting;
using Sciot.Core.Tensors;

namespace Sciot.Client.Commands;

/// <summary>
/// What a session-cache miss costs. "Create" is the work of the cache's factory on a miss, extracting the part and
/// building its ORT session, timed on its own. "First call" is the first RunFull/RunHead/RunTail on a fresh
/// <see cref="SplitModel"/>, which is what a request that misses the cache waits for (creation plus a cold first run).
/// For the layer segments, <see cref="LayerwiseHeadRunner.Warm"/> on a fresh SplitModel gives the total through the
/// public path, and the parts created one by one give the per-segment spread.
/// </summary>
public sealed class SessionCreationProbe(ModelGraph graph, IReadOnlyList<NamedTensor> inputs, IReadOnlyList<IReadOnlyList<NamedTensor>> liveByCut, int repeats)
{
    private readonly SplitRuntimeOptions _runtime = new();

    public SessionCreationResult Measure()
    {
        var last = graph.LastLayer;
        var full = Part("full", null, () => graph.Model.ToByteArray(), m => m.RunFull(inputs));
        // The first cut, the middle and the last one that still has a tail: parts from almost the whole model to one layer.
        var cuts = new[] { 0, last / 2, last - 1 }.Where(k => k >= 0).Distinct().ToList();
        var heads = cuts.Select(k => Part("head", k, () => SubmodelExtractor.Head(graph, k).ToByteArray(), m => m.RunHead(k, inputs))).ToList();
        var tails = cuts.Select(k => Part("tail", k, () => SubmodelExtractor.Tail(graph, k).ToByteArray(), m => m.RunTail(k, liveByCut[k]))).ToList();

        var segments = Enumerable.Range(0, graph.Layers.Count)
            .Select(i => CreateMs(() => SubmodelExtractor.Segment(graph, i).ToByteArray()))
            .ToArray();
        var warm = Enumerable.Range(0, repeats).Select(_ =>
        {
            using var model = new SplitModel(graph, _runtime);
            var runner = new LayerwiseHeadRunner(model);
            return BenchTimer.Time(runner.Warm);
        }).ToArray();
        return new SessionCreationResult(full, heads, tails, segments.Length, segments.Sum(), BenchStatistics.Median(segments), segments.Max(), BenchStatistics.Median(warm));
    }

    private PartCreation Part(string part, int? k, Func<byte[]> extract, Action<SplitModel> firstCall)
    {
        var create = Enumerable.Range(0, repeats).Select(_ => CreateMs(extract)).ToArray();
        var first = Enumerable.Range(0, repeats).Select(_ =>
        {
            using var model = new SplitModel(graph, _runtime);
            return BenchTimer.Time(() => firstCall(model));
        }).ToArray();
        return new PartCreation(part, k, BenchStatistics.Median(create), BenchStatistics.Median(first));
    }

    private double CreateMs(Func<byte[]> extract)
    {
        using var options = _runtime.CreateSessionOptions();
        OrtPart? part = null;
        var ms = BenchTimer.Time(() => part = new OrtPart("bench", extract(), options, graph.ShapeOf));
        part!.Dispose();
        return ms;
    }
}

/// <summary>Median milliseconds per part, and the layer segments as total, median and slowest.</summary>
public sealed record SessionCreationResult(
    PartCreation Full,
    IReadOnlyList<PartCreation> Heads,
    IReadOnlyList<PartCreation> Tails,
    int Segments,
    double SegmentsTotalMs,
    double SegmentMedianMs,
    double SegmentMaxMs,
    double LayerwiseWarmMs);

/// <summary>Creation cost of the full model (<see cref="K"/> null) or of the head or tail at cut K.</summary>
public sealed record PartCreation(string Part, int? K, double CreateMs, double FirstCallMs)
{
    public string Label => K is null ? Part : $"{Part} k={K}";
}
