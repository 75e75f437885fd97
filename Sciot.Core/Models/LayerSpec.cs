namespace Sciot.Core.Models;

/// <summary>
/// One layer in the protocol's numbering: a named group of ONNX nodes whose last output is "the output of layer k".
/// </summary>
public sealed record LayerSpec(int Index, string Name, string Type, IReadOnlyList<string> Nodes, string Output, int[] Shape, long OutputBytes)
{
    /// <summary>Height x width x channels, as TFLite and the ESP32 firmware (and the reference CSV) write shapes.</summary>
    public string ShapeHwc => Shape.Length == 4 ? $"{Shape[2]}x{Shape[3]}x{Shape[1]}" : string.Join('x', Shape);
}
