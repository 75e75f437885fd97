namespace Sciot.Core.Models;

/// <summary>
/// How a shipped model's weights were made and how well they do: <c>models/&lt;name&gt;/training.json</c>, written
/// by the trainer (models/training) next to the weights and copied into the manifest by the builder.
/// </summary>
public sealed record TrainingRecord
{
    public required string WeightsFile { get; init; }

    /// <summary>sha256 (hex) of the weights file, so a manifest names exactly the weights it was built from.</summary>
    public required string WeightsSha256 { get; init; }
    public required string DatasetVersion { get; init; }
    /// <summary>Seed of each training phase's frames (a resumed run trains on new frames from a new seed).</summary>
    public required IReadOnlyList<int> DatasetSeeds { get; init; }
    public required int InitSeed { get; init; }
    /// <summary>Optimizer steps over all phases.</summary>
    public required int Steps { get; init; }
    public required int BatchSize { get; init; }
    public required string Optimizer { get; init; }
    public required string Loss { get; init; }

    /// <summary>One line per phase: steps, batch, learning rate, object weight, seconds, final loss.</summary>
    public required IReadOnlyList<string> Phases { get; init; }
    public required double FinalLoss { get; init; }
    public required double TrainingSeconds { get; init; }
    public required string Trainer { get; init; }
    public required ModelAccuracy Accuracy { get; init; }
}

/// <summary>Detection scores on a held-out set generated from <see cref="Seed"/>: per class and over all classes.</summary>
public sealed record ModelAccuracy(
    int Images, int Seed, float Threshold, float MatchRadius, IReadOnlyList<ClassAccuracy> PerClass,
    int TruePositives, int FalsePositives, int FalseNegatives, double Precision, double Recall, double F1);

public sealed record ClassAccuracy(
    string Name, int TruePositives, int FalsePositives, int FalseNegatives, double Precision, double Recall, double F1);
