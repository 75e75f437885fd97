using Onnx;
using Sciot.Core.Splitting;

namespace Sciot.Core.Offloading.CostModel;

/// <summary>
/// Counts MACs and bytes moved per layer from an ONNX graph's static shapes. A convolution costs one MAC per output
/// element and kernel tap (<c>out × Cin/group × kh × kw</c>, so depthwise comes out right), Gemm/MatMul one per output
/// and inner element; every other op one per output element.
/// </summary>
public static class LayerFeatureExtractor
{
    private const int Float32Bytes = 4;

    public static IReadOnlyList<LayerFeatures> Extract(ModelGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var parameters = graph.Model.Graph.Initializer.ToDictionary(t => t.Name, t => t, StringComparer.Ordinal);
        return graph.Layers.Select(layer =>
        {
            double macs = 0, bytes = 0;
            foreach (var node in layer.Nodes)
            {
                var outputElements = Elements(graph.ShapeOf(node.Output[0]));
                macs += NodeMacs(node, parameters, graph);
                bytes += outputElements * Float32Bytes;
                foreach (var input in node.Input.Where(i => i.Length > 0))
                {
                    bytes += parameters.TryGetValue(input, out var tensor)
                        ? tensor.Dims.Aggregate(1L, (a, d) => a * d) * Float32Bytes
                        : Elements(graph.ShapeOf(input)) * Float32Bytes;
                }
            }
            return new LayerFeatures(layer.Index, layer.Name, layer.Type, macs, bytes);
        }).ToList();
    }

    /// <summary>The MACs of one node by the rules above (also what <see cref="Models.ModelComplexity"/> sums for a model card).</summary>
    internal static double NodeMacs(NodeProto node, IReadOnlyDictionary<string, TensorProto> parameters, ModelGraph graph)
    {
        var outputElements = Elements(graph.ShapeOf(node.Output[0]));
        switch (node.OpType)
        {
            case "Conv" when node.Input.Count > 1 && parameters.TryGetValue(node.Input[1], out var weight) && weight.Dims.Count >= 3:
                // Weight dims [Cout, Cin/group, kh, kw]: every output element reads one kernel.
                return outputElements * weight.Dims.Skip(1).Aggregate(1L, (a, d) => a * d);
            case "Gemm" or "MatMul":
                var inner = graph.ShapeOf(node.Input[0])[^1];
                return outputElements * inner;
            default:
                return outputElements;
        }
    }

    private static double Elements(int[] shape) => shape.Aggregate(1d, (a, d) => a * d);
}
