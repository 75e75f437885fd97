using Sciot.Core.Tensors;

namespace Sciot.Core.Splitting;

/// <summary>A float32 tensor of the graph; <see cref="ProducerLayer"/> is -1 for a graph input.</summary>
public sealed record TensorInfo(string Name, int[] Shape, int ProducerLayer)
{
    public long Bytes => NamedTensor.ElementCountOf(Shape) * (long)sizeof(float);
}
