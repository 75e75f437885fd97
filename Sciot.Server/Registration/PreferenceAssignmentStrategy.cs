using Sciot.Server.Inference;

namespace Sciot.Server.Registration;

/// <summary>
/// <c>latency</c>: the model with the lowest measured edge cost (calibrated per-layer times summed);
/// <c>accuracy</c>: the highest accuracy in the manifests. Models without a stated accuracy never win on accuracy;
/// with none stated, or no preference given, the default strategy decides.
/// </summary>
public sealed class PreferenceAssignmentStrategy(ModelRuntime runtime, DefaultAssignmentStrategy fallback) : IModelAssignmentStrategy
{
    public const string StrategyName = "preference";

    public string Name => StrategyName;

    public ModelAssignment Assign(AssignmentContext context)
    {
        var candidates = context.Candidates.Select(runtime.Get).ToList();
        switch (context.Capabilities?.Preference?.ToLowerInvariant())
        {
            case "latency":
                var fastest = candidates.MinBy(m => m.EdgeTotalSeconds)!;
                return new ModelAssignment(fastest.Name, $"latency preference: lowest measured cost {fastest.EdgeTotalSeconds * 1000:F2} ms");
            case "accuracy" when candidates.Any(m => m.Manifest.Accuracy is not null):
                var best = candidates.Where(m => m.Manifest.Accuracy is not null).MaxBy(m => m.Manifest.Accuracy)!;
                return new ModelAssignment(best.Name, $"accuracy preference: accuracy {best.Manifest.Accuracy:F3}");
            case "accuracy":
                var noAccuracy = fallback.Assign(context);
                return noAccuracy with { Reason = "accuracy preference but no model states an accuracy (untrained); " + noAccuracy.Reason };
            default:
                return fallback.Assign(context);
        }
    }
}
