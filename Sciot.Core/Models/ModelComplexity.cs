using Onnx;
using Sciot.Core.Offloading.CostModel;
using Sciot.Core.Splitting;

namespace Sciot.Core.Models;

/// <summary>
/// Size and compute of a model graph: learned parameters (float initializers, BatchNormalization statistics
/// included) and multiply-accumulates of its convolutions and matrix products per frame, counted as the device cost
/// model counts them (<see cref="LayerFeatureExtractor"/>); element-wise layers are not counted here.
/// </summary>
public sealed record ModelComplexity(long Parameters, long MultiplyAccumulates)
{
    public static ModelComplexity Of(ModelGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var model = graph.Model.Graph;
        var parameters = model.Initializer.Where(i => i.DataType == (int)TensorProto.Types.DataType.Float && i.Dims.Count > 0)
            .Sum(i => i.Dims.Aggregate(1L, (a, d) => a * d));
        var initializers = model.Initializer.ToDictionary(i => i.Name, StringComparer.Ordinal);
        var macs = model.Node.Where(n => n.OpType is "Conv" or "Gemm" or "MatMul")
            .Sum(n => (long)LayerFeatureExtractor.NodeMacs(n, initializers, graph));
        return new ModelComplexity(parameters, macs);
    }
}
