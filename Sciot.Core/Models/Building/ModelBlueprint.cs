using Onnx;

namespace Sciot.Core.Models.Building;

/// <summary>A built graph with its Keras-numbered layers, before it is written to the catalog.</summary>
public sealed record ModelBlueprint(ModelProto Model, IReadOnlyList<LayerSpec> Layers, string InputName, string OutputName);
