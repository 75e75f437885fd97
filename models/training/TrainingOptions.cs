namespace Sciot.Training;

/// <summary>One training run of one shipped model (defaults: the committed weights' settings).</summary>
public sealed record TrainingOptions(
    string Model,
    string ModelsFolder,
    int Steps,
    int BatchSize,
    double LearningRate,
    double ObjectWeight,
    int DatasetSeed,
    int Threads,
    int EvaluationImages,
    int EvaluationSeed,
    bool Resume);
