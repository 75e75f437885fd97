namespace Sciot.Core.Models.Weights;

/// <summary>One named float32 tensor of a weights file (row-major, ONNX initializer layout).</summary>
public sealed record StoredTensor(string Name, long[] Shape, float[] Data);
