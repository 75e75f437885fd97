using Onnx;

namespace Sciot.Core.Splitting;

/// <summary>A layer of the graph: consecutive nodes in topological order; its output is the last node's output.</summary>
public sealed record ModelLayer(int Index, string Name, string Type, IReadOnlyList<NodeProto> Nodes)
{
    public string Output => Nodes[^1].Output[0];
}
