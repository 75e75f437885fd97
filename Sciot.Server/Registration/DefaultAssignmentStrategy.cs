using Microsoft.Extensions.Options;

namespace Sciot.Server.Registration;

/// <summary>Everyone gets the configured default model (fomo_96x96 out of the box), as in the seed.</summary>
public sealed class DefaultAssignmentStrategy(IOptions<AssignmentOptions> options) : IModelAssignmentStrategy
{
    public const string StrategyName = "default";

    public string Name => StrategyName;

    public ModelAssignment Assign(AssignmentContext context) =>
        context.Candidates.Contains(options.Value.DefaultModel)
            ? new ModelAssignment(options.Value.DefaultModel, "default model")
            : new ModelAssignment(context.Candidates[0], $"default model {options.Value.DefaultModel} not servable; first candidate");
}
