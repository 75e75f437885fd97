using Onnx;
using Sciot.Core.Models;

namespace Sciot.Core.Splitting;

/// <summary>
/// An ONNX graph seen as numbered layers, with the live tensors of every cut k in -1..L-1 (k = -1: nothing ran on the
/// device, the graph inputs cross). Works for any DAG: liveness comes from producers and last consumers, not from a chain assumption.
/// </summary>
public sealed class ModelGraph
{
    private readonly CutPoint[] _cuts;
    private readonly Dictionary<string, int[]> _shapes;

    private ModelGraph(ModelProto model, IReadOnlyList<ModelLayer> layers, Dictionary<string, int[]> shapes, HashSet<string> initializers,
        CutPoint[] cuts)
    {
        Model = model;
        Layers = layers;
        _shapes = shapes;
        Initializers = initializers;
        _cuts = cuts;
    }

    public ModelProto Model { get; }
    public IReadOnlyList<ModelLayer> Layers { get; }
    public IReadOnlySet<string> Initializers { get; }
    public IReadOnlyList<string> InputNames => Model.Graph.Input.Select(i => i.Name).Where(n => !Initializers.Contains(n)).ToList();
    public IReadOnlyList<string> OutputNames => Model.Graph.Output.Select(o => o.Name).ToList();
    public int LastLayer => Layers.Count - 1;

    public int[] ShapeOf(string tensor) => _shapes.TryGetValue(tensor, out var shape)
        ? shape
        : throw new ArgumentException($"tensor '{tensor}' has no static shape in the graph (add it to value_info)", nameof(tensor));

    /// <summary>The live tensors after layer <paramref name="k"/> (-1..L-1).</summary>
    public CutPoint Cut(int k)
    {
        EnsureCut(k);
        return _cuts[k + 1];
    }

    /// <summary>
    /// What a device uploads for the decision <paramref name="decision"/>: the live tensors of cut k, and for -1 (every
    /// layer runs on the device) the model's outputs, the cut after the last layer. <see cref="Cut"/>(-1) is the graph's
    /// inputs: what would cross if the edge ran everything, which no device sends.
    /// </summary>
    public CutPoint Sent(int decision) => Cut(LastLayerRun(decision));

    /// <summary>The last layer a device runs for <paramref name="decision"/>: k itself, and for -1 the model's last layer.</summary>
    public int LastLayerRun(int decision) => decision == -1 ? LastLayer : decision;

    public void EnsureCut(int k)
    {
        if (k < -1 || k > LastLayer)
        {
            throw new ArgumentOutOfRangeException(nameof(k), k, $"cut layer must be in -1..{LastLayer} for graph '{Model.Graph.Name}'");
        }
    }

    /// <summary>
    /// Builds the layer view. With <paramref name="layerSpecs"/> (from a manifest) nodes are grouped into those layers;
    /// without, every node is its own layer in topological order.
    /// </summary>
    public static ModelGraph Create(ModelProto model, IReadOnlyList<LayerSpec>? layerSpecs = null)
    {
        var graph = model.Graph ?? throw new ArgumentException("model has no graph", nameof(model));
        var initializers = graph.Initializer.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        var shapes = new Dictionary<string, int[]>(StringComparer.Ordinal);
        foreach (var info in graph.Input.Concat(graph.ValueInfo).Concat(graph.Output))
        {
            if (info.Type?.TensorType?.Shape is { } shape && shape.Dim.All(d => d.HasDimValue))
            {
                shapes[info.Name] = shape.Dim.Select(d => checked((int)d.DimValue)).ToArray();
            }
        }
        var ordered = TopologicalOrder(graph, initializers);
        var layers = layerSpecs is null ? OneLayerPerNode(ordered) : GroupIntoLayers(ordered, layerSpecs);
        var cuts = ComputeCuts(graph, layers, initializers, shapes);
        return new ModelGraph(model, layers, shapes, initializers, cuts);
    }

    private static List<NodeProto> TopologicalOrder(GraphProto graph, HashSet<string> initializers)
    {
        var available = graph.Input.Select(i => i.Name).Concat(initializers).ToHashSet(StringComparer.Ordinal);
        var pending = graph.Node.ToList();
        var ordered = new List<NodeProto>(pending.Count);
        while (pending.Count > 0)
        {
            var ready = pending.FindIndex(n => n.Input.All(i => i.Length == 0 || available.Contains(i)));
            if (ready < 0)
            {
                var stuck = pending[0];
                throw new ArgumentException($"node '{stuck.Name}' ({stuck.OpType}) consumes a tensor no node produces, or the graph has a cycle");
            }
            var node = pending[ready];
            pending.RemoveAt(ready);
            ordered.Add(node);
            available.UnionWith(node.Output);
        }
        return ordered;
    }

    private static List<ModelLayer> OneLayerPerNode(List<NodeProto> ordered) =>
        ordered.Select((n, i) => new ModelLayer(i, string.IsNullOrEmpty(n.Name) ? $"{n.OpType}_{i}" : n.Name, n.OpType, [n])).ToList();

    private static List<ModelLayer> GroupIntoLayers(List<NodeProto> ordered, IReadOnlyList<LayerSpec> specs)
    {
        var byName = new Dictionary<string, NodeProto>(StringComparer.Ordinal);
        foreach (var node in ordered)
        {
            if (!byName.TryAdd(node.Name, node))
            {
                throw new ArgumentException($"node name '{node.Name}' is used twice; layer grouping needs unique node names");
            }
        }
        var position = ordered.Select((n, i) => (n.Name, i)).ToDictionary(p => p.Name, p => p.i, StringComparer.Ordinal);
        var layers = new List<ModelLayer>(specs.Count);
        var last = -1;
        foreach (var spec in specs)
        {
            var nodes = new List<NodeProto>(spec.Nodes.Count);
            foreach (var name in spec.Nodes)
            {
                if (!byName.Remove(name, out var node))
                {
                    throw new ArgumentException($"layer {spec.Index} '{spec.Name}' names node '{name}', which is not in the graph or belongs to an earlier layer");
                }
                if (position[name] < last)
                {
                    throw new ArgumentException($"layer {spec.Index} '{spec.Name}': node '{name}' comes before a node of an earlier layer; layers must follow topological order");
                }
                last = position[name];
                nodes.Add(node);
            }
            if (nodes.Count == 0 || nodes[^1].Output[0] != spec.Output)
            {
                throw new ArgumentException($"layer {spec.Index} '{spec.Name}' must end with the node producing '{spec.Output}'");
            }
            layers.Add(new ModelLayer(layers.Count, spec.Name, spec.Type, nodes));
        }
        if (byName.Count > 0)
        {
            throw new ArgumentException($"nodes not assigned to any layer: {string.Join(", ", byName.Keys.Take(5))}");
        }
        return layers;
    }

    private static CutPoint[] ComputeCuts(GraphProto graph, List<ModelLayer> layers, HashSet<string> initializers, Dictionary<string, int[]> shapes)
    {
        var producer = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var input in graph.Input.Where(i => !initializers.Contains(i.Name)))
        {
            producer[input.Name] = -1;
        }
        var lastUse = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var layer in layers)
        {
            foreach (var node in layer.Nodes)
            {
                foreach (var input in node.Input.Where(i => i.Length > 0 && !initializers.Contains(i)))
                {
                    lastUse[input] = layer.Index;
                }
                foreach (var output in node.Output)
                {
                    producer[output] = layer.Index;
                }
            }
        }
        foreach (var output in graph.Output)
        {
            lastUse[output.Name] = int.MaxValue;
        }
        var cuts = new CutPoint[layers.Count + 1];
        for (var k = -1; k < layers.Count; k++)
        {
            var live = producer
                .Where(p => p.Value <= k && lastUse.TryGetValue(p.Key, out var use) && use > k)
                .OrderBy(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => new TensorInfo(p.Key, shapes.TryGetValue(p.Key, out var s)
                    ? s
                    : throw new ArgumentException($"tensor '{p.Key}' is live after layer {k} but has no static shape in value_info"), p.Value))
                .ToList();
            cuts[k + 1] = new CutPoint(k, live);
        }
        return cuts;
    }
}
