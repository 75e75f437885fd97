using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Sciot.Core.Tensors;

namespace Sciot.Core.Splitting;

/// <summary>
/// Runs a model whole or split at any cut k, with one fused session per part (head 0..k, tail k+1..L-1). Head then
/// tail gives the same outputs as the full model. Every entry point validates tensor names and shapes against the cut
/// and fails with a message that lists what was expected.
/// </summary>
public sealed class SplitModel : IDisposable
{
    private readonly SessionOptions _sessionOptions;
    private readonly SessionCache _cache;

    public SplitModel(ModelGraph graph, SplitRuntimeOptions? options = null)
    {
        Graph = graph;
        options ??= new SplitRuntimeOptions();
        _sessionOptions = options.CreateSessionOptions();
        _cache = new SessionCache(options.SessionCacheCapacity);
    }

    public ModelGraph Graph { get; }
    public SessionCache Sessions => _cache;

    public IReadOnlyList<NamedTensor> RunFull(IReadOnlyList<NamedTensor> inputs)
    {
        var byName = Validate(Graph.InputNames, inputs, "the model");
        using var lease = Acquire("full", () => Graph.Model.ToByteArray());
        return lease.Part.Run(n => byName[n]);
    }

    /// <summary>Layers 0..k on the graph inputs; returns the live tensors of cut k (k = -1 returns the inputs).</summary>
    public IReadOnlyList<NamedTensor> RunHead(int k, IReadOnlyList<NamedTensor> inputs)
    {
        Graph.EnsureCut(k);
        var byName = Validate(Graph.InputNames, inputs, "the model");
        if (k == -1)
        {
            return Graph.InputNames.Select(n => byName[n]).ToList();
        }
        using var lease = Acquire($"head:{k}", () => SubmodelExtractor.Head(Graph, k).ToByteArray());
        return lease.Part.Run(n => byName[n]);
    }

    /// <summary>Layers k+1..L-1 on exactly the live tensors of cut k; returns the graph outputs.</summary>
    public IReadOnlyList<NamedTensor> RunTail(int k, IReadOnlyList<NamedTensor> live)
    {
        Graph.EnsureCut(k);
        var byName = Validate(Graph.Cut(k).LiveNames.ToList(), live, $"cut {k}");
        if (k == Graph.LastLayer)
        {
            return Graph.OutputNames.Select(n => byName[n]).ToList();
        }
        using var lease = Acquire($"tail:{k}", () => SubmodelExtractor.Tail(Graph, k).ToByteArray());
        return GraphOutputs(lease.Part.Run(n => byName[n]), n => byName[n]);
    }

    /// <summary>
    /// <see cref="RunTail(int, IReadOnlyList{NamedTensor})"/> on tensors still in the buffer they arrived in (a request
    /// body): ONNX Runtime reads them where they lie, so the only copy of the live tensors is the one that received them.
    /// </summary>
    public IReadOnlyList<NamedTensor> RunTail(int k, IReadOnlyList<TensorBytes> live)
    {
        Graph.EnsureCut(k);
        var byName = Validate(Graph.Cut(k).LiveNames.ToList(), live, $"cut {k}", t => t.Name, t => t.Shape, t => t.ElementCount,
            t => t.ByteCount % sizeof(float) == 0);
        if (k == Graph.LastLayer)
        {
            return Graph.OutputNames.Select(n => byName[n].ToNamedTensor()).ToList();
        }
        using var lease = Acquire($"tail:{k}", () => SubmodelExtractor.Tail(Graph, k).ToByteArray());
        return GraphOutputs(lease.Part.Run(n => byName[n]), n => byName[n].ToNamedTensor());
    }

    /// <summary>
    /// Head then tail in one process with the live tensors handed over inside ONNX Runtime: the split's compute cost
    /// without the copy a real device/edge boundary needs (what the benchmark compares with the full model).
    /// </summary>
    public IReadOnlyList<NamedTensor> RunSplit(int k, IReadOnlyList<NamedTensor> inputs)
    {
        Graph.EnsureCut(k);
        if (k == -1 || k == Graph.LastLayer)
        {
            return RunFull(inputs);
        }
        var byName = Validate(Graph.InputNames, inputs, "the model");
        using var head = Acquire($"head:{k}", () => SubmodelExtractor.Head(Graph, k).ToByteArray());
        using var tail = Acquire($"tail:{k}", () => SubmodelExtractor.Tail(Graph, k).ToByteArray());
        var pinned = head.Part.InputNames.Select((n, i) => head.Part.Pin(byName[n], i)).ToArray();
        try
        {
            using var live = head.Part.RunOrdered(pinned);
            using var outputs = tail.Part.RunValues(n => live[head.Part.OutputIndex(n)]);
            NamedTensor[]? headOutputs = null;
            return GraphOutputs(tail.Part.Copy(outputs), n => (headOutputs ??= head.Part.Copy(live))[head.Part.OutputIndex(n)]);
        }
        finally
        {
            foreach (var value in pinned)
            {
                value.Dispose();
            }
        }
    }

    /// <summary>The graph outputs in graph order: those the tail computed, else those already live at the cut.</summary>
    private List<NamedTensor> GraphOutputs(NamedTensor[] computed, Func<string, NamedTensor> passthrough) =>
        Graph.OutputNames.Select(n => computed.FirstOrDefault(c => c.Name == n) ?? passthrough(n)).ToList();

    internal SessionCache.Lease Acquire(string key, Func<byte[]> onnx) =>
        _cache.Acquire(key, () => new OrtPart(key, onnx(), _sessionOptions, Graph.ShapeOf));

    /// <summary>Checks that <paramref name="given"/> is exactly the <paramref name="expected"/> set, with the graph's shapes.</summary>
    internal Dictionary<string, NamedTensor> Validate(IReadOnlyList<string> expected, IReadOnlyList<NamedTensor> given, string what) =>
        Validate(expected, given, what, t => t.Name, t => t.Shape, t => t.Data.Length, _ => true);

    private Dictionary<string, T> Validate<T>(IReadOnlyList<string> expected, IReadOnlyList<T> given, string what,
        Func<T, string> nameOf, Func<T, int[]> shapeOf, Func<T, long> valuesOf, Func<T, bool> wholeValues)
    {
        var byName = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var tensor in given)
        {
            var name = nameOf(tensor);
            if (!expected.Contains(name))
            {
                throw new ArgumentException($"unknown tensor '{name}' for {what}; expected: {string.Join(", ", expected)}");
            }
            if (!byName.TryAdd(name, tensor))
            {
                throw new ArgumentException($"tensor '{name}' given twice for {what}");
            }
            var shape = Graph.ShapeOf(name);
            if (!shape.AsSpan().SequenceEqual(shapeOf(tensor)))
            {
                throw new ArgumentException($"tensor '{name}' has shape [{string.Join(",", shapeOf(tensor))}], {what} expects [{string.Join(",", shape)}]");
            }
            if (!wholeValues(tensor) || valuesOf(tensor) != NamedTensor.ElementCountOf(shape))
            {
                throw new ArgumentException($"tensor '{name}' holds {valuesOf(tensor)} values, shape [{string.Join(",", shape)}] needs {NamedTensor.ElementCountOf(shape)}");
            }
        }
        var missing = expected.Where(n => !byName.ContainsKey(n)).ToList();
        if (missing.Count > 0)
        {
            throw new ArgumentException($"{what} needs tensors {string.Join(", ", expected)}; missing: {string.Join(", ", missing)}");
        }
        return byName;
    }

    public void Dispose()
    {
        _cache.Dispose();
        _sessionOptions.Dispose();
    }
}
