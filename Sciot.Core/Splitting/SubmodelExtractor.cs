using Onnx;
using Sciot.Core.Models.Building;

namespace Sciot.Core.Splitting;

/// <summary>
/// Cuts a <see cref="ModelGraph"/> into stand-alone ONNX models: the device head (layers 0..k), the edge tail
/// (k+1..L-1) and single-layer segments. Each part carries only the initializers its own nodes use and typed inputs,
/// so ONNX Runtime can load it without the rest of the graph.
/// </summary>
public static class SubmodelExtractor
{
    /// <summary>Layers 0..k; outputs are the live tensors of cut k.</summary>
    public static ModelProto Head(ModelGraph graph, int k)
    {
        RequireLayerCut(graph, k);
        return Extract(graph, 0, k, graph.InputNames, graph.Cut(k).LiveNames.ToList(), $"head_{k}");
    }

    /// <summary>
    /// Layers k+1..L-1; inputs are the live tensors of cut k that the tail consumes. Graph outputs already live at the
    /// cut pass straight through and are not tail outputs.
    /// </summary>
    public static ModelProto Tail(ModelGraph graph, int k)
    {
        graph.EnsureCut(k);
        if (k == graph.LastLayer)
        {
            throw new ArgumentOutOfRangeException(nameof(k), k, "the tail after the last layer is empty: the device output is the model output");
        }
        var consumed = ConsumedFromOutside(graph, k + 1, graph.LastLayer);
        var inputs = graph.Cut(k).LiveNames.Where(consumed.Contains).ToList();
        var outputs = TailOutputs(graph, k);
        return Extract(graph, k + 1, graph.LastLayer, inputs, outputs, $"tail_{k}");
    }

    /// <summary>Graph outputs the tail of cut k computes (those not already live at the cut).</summary>
    public static IReadOnlyList<string> TailOutputs(ModelGraph graph, int k)
    {
        var live = graph.Cut(k).LiveNames.ToHashSet(StringComparer.Ordinal);
        return graph.OutputNames.Where(o => !live.Contains(o)).ToList();
    }

    /// <summary>Layer i alone: what the per-layer device runner times.</summary>
    public static ModelProto Segment(ModelGraph graph, int i) =>
        Extract(graph, i, i, SegmentInputs(graph, i), SegmentOutputs(graph, i), $"layer_{i}");

    public static IReadOnlyList<string> SegmentInputs(ModelGraph graph, int i)
    {
        RequireLayerCut(graph, i);
        var consumed = ConsumedFromOutside(graph, i, i);
        return graph.Cut(i - 1).LiveNames.Where(consumed.Contains).ToList();
    }

    /// <summary>What layer i produces that a later layer (or the graph output) needs.</summary>
    public static IReadOnlyList<string> SegmentOutputs(ModelGraph graph, int i)
    {
        RequireLayerCut(graph, i);
        return graph.Cut(i).LiveTensors.Where(t => t.ProducerLayer == i).Select(t => t.Name).ToList();
    }

    private static void RequireLayerCut(ModelGraph graph, int k)
    {
        if (k < 0 || k > graph.LastLayer)
        {
            throw new ArgumentOutOfRangeException(nameof(k), k, $"layer must be in 0..{graph.LastLayer}");
        }
    }

    private static HashSet<string> ConsumedFromOutside(ModelGraph graph, int first, int last)
    {
        var produced = new HashSet<string>(StringComparer.Ordinal);
        var consumed = new HashSet<string>(StringComparer.Ordinal);
        for (var l = first; l <= last; l++)
        {
            foreach (var node in graph.Layers[l].Nodes)
            {
                consumed.UnionWith(node.Input.Where(i => i.Length > 0 && !produced.Contains(i) && !graph.Initializers.Contains(i)));
                produced.UnionWith(node.Output);
            }
        }
        return consumed;
    }

    private static ModelProto Extract(ModelGraph graph, int first, int last, IReadOnlyList<string> inputs, IReadOnlyList<string> outputs, string name)
    {
        var source = graph.Model.Graph;
        var part = new GraphProto { Name = $"{source.Name}_{name}" };
        var used = new HashSet<string>(StringComparer.Ordinal);
        var produced = new HashSet<string>(StringComparer.Ordinal);
        for (var l = first; l <= last; l++)
        {
            foreach (var node in graph.Layers[l].Nodes)
            {
                part.Node.Add(node.Clone());
                used.UnionWith(node.Input);
                produced.UnionWith(node.Output);
            }
        }
        part.Initializer.AddRange(source.Initializer.Where(i => used.Contains(i.Name)).Select(i => i.Clone()));
        part.Input.AddRange(inputs.Select(t => OnnxGraphBuilder.ValueInfo(t, graph.ShapeOf(t))));
        part.Output.AddRange(outputs.Select(t => OnnxGraphBuilder.ValueInfo(t, graph.ShapeOf(t))));
        var boundary = inputs.Concat(outputs).ToHashSet(StringComparer.Ordinal);
        part.ValueInfo.AddRange(source.ValueInfo.Where(v => produced.Contains(v.Name) && !boundary.Contains(v.Name)).Select(v => v.Clone()));
        var model = new ModelProto
        {
            IrVersion = graph.Model.IrVersion,
            ProducerName = "Sciot.Core SubmodelExtractor",
            Graph = part,
        };
        model.OpsetImport.AddRange(graph.Model.OpsetImport.Select(o => o.Clone()));
        return model;
    }
}
