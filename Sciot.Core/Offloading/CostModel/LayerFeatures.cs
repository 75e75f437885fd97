namespace Sciot.Core.Offloading.CostModel;

/// <summary>
/// What a layer costs to compute, independent of the machine: its type (Keras class, as the manifest names it),
/// multiply-accumulates, and bytes moved (activations read and written plus parameters read).
/// </summary>
public sealed record LayerFeatures(int Index, string Name, string Type, double Macs, double BytesMoved);
