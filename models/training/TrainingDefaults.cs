using Sciot.Core.Models.Building;

namespace Sciot.Training;

/// <summary>The settings the committed weights were trained with, so a plain run reproduces them.</summary>
public sealed record TrainingDefaults(int Steps, int DatasetSeed)
{
    public static TrainingDefaults For(string model) => model switch
    {
        ShippedModels.Fomo => new(800, 101),
        ShippedModels.MobileNetLite => new(800, 202),
        _ => throw new ArgumentException($"unknown model '{model}'", nameof(model)),
    };
}
