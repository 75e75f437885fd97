using Microsoft.Extensions.Options;

namespace Sciot.Server.Registration;

/// <summary>The model with the fewest active clients; ties go to the default model, then by name.</summary>
public sealed class LeastLoadedAssignmentStrategy(IOptions<AssignmentOptions> options) : IModelAssignmentStrategy
{
    public const string StrategyName = "least-loaded";

    public string Name => StrategyName;

    public ModelAssignment Assign(AssignmentContext context)
    {
        var chosen = context.Candidates
            .OrderBy(m => context.ActiveClientsPerModel.GetValueOrDefault(m))
            .ThenBy(m => m == options.Value.DefaultModel ? 0 : 1)
            .ThenBy(m => m, StringComparer.Ordinal)
            .First();
        return new ModelAssignment(chosen, $"least loaded ({context.ActiveClientsPerModel.GetValueOrDefault(chosen)} active clients)");
    }
}
