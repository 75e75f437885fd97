namespace Sciot.Core.Tensors;

/// <summary>
/// A float32 tensor with its graph name and shape, in the layout the ONNX graph uses (NCHW for image tensors).
/// This is the unit that crosses the device/edge boundary.
/// </summary>
public sealed record NamedTensor(string Name, int[] Shape, float[] Data)
{
    public int ElementCount => Data.Length;

    public long ByteCount => (long)Data.Length * sizeof(float);

    public static int ElementCountOf(IReadOnlyList<int> shape)
    {
        var count = 1;
        foreach (var d in shape)
        {
            count = checked(count * d);
        }
        return count;
    }
}
