using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sciot.Core.Models;

/// <summary>The <c>model.json</c> beside each <c>model.onnx</c>: what a client or server needs to use the model.</summary>
public sealed record ModelManifest
{
    public required string Name { get; init; }
    public required string Description { get; init; }

    /// <summary>sha256 (hex) of model.onnx: the version clients compare after a download.</summary>
    public required string Version { get; init; }
    public required ModelInputSpec Input { get; init; }
    public required ModelOutputSpec Output { get; init; }
    public required IReadOnlyList<string> Classes { get; init; }

    /// <summary>Where the weights come from; says plainly when they are not trained.</summary>
    public required string Weights { get; init; }

    /// <summary>Overall detection F1 on a held-out set of the demo dataset (<see cref="Training"/> has the details); null when untrained.</summary>
    public double? Accuracy { get; init; }

    /// <summary>Dataset version, seeds, steps, loss and per-class accuracy of the trained weights; null when untrained.</summary>
    public TrainingRecord? Training { get; init; }
    public required IReadOnlyList<LayerSpec> Layers { get; init; }

    public int LastOffloadingLayer => Layers.Count - 1;

    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };
}

public sealed record ModelInputSpec(string Name, int[] Shape, string Layout, string ColorOrder, float Scale, float Offset)
{
    [JsonIgnore] public int Height => Shape[2];
    [JsonIgnore] public int Width => Shape[3];
}

/// <summary>Kind is <c>fomo</c> (per-cell class heat map) or <c>classification</c>.</summary>
public sealed record ModelOutputSpec(string Name, int[] Shape, string Kind);
