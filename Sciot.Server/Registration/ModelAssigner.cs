using Microsoft.Extensions.Options;
using Sciot.Core.Protocol.Json;
using Sciot.Server.Inference;

namespace Sciot.Server.Registration;

/// <summary>
/// The configured assignment strategy over the servable models: a new client's model, and a whole-fleet rebalance.
/// Pure over what it is given, so every session store (one process or a cluster) assigns alike.
/// </summary>
public sealed class ModelAssigner
{
    private readonly IModelAssignmentStrategy _strategy;
    private readonly ModelRuntime _runtime;

    public ModelAssigner(IEnumerable<IModelAssignmentStrategy> strategies, IOptions<AssignmentOptions> options, ModelRuntime runtime)
    {
        _runtime = runtime;
        ActiveWindow = TimeSpan.FromSeconds(options.Value.ActiveWindowSeconds);
        var unknown = options.Value.Rules.Select((r, i) => (Model: r.Model, Field: $"Rules[{i}].Model")).Prepend((Model: options.Value.DefaultModel, Field: "DefaultModel"))
            .Where(m => !runtime.TryGet(m.Model, out _)).Select(m => $"{m.Field} '{m.Model}' is not a served model; served: {string.Join(", ", runtime.Catalog.Names)}")
            .ToList();
        if (unknown.Count > 0)
        {
            throw new OptionsValidationException(AssignmentOptions.Section, typeof(AssignmentOptions), unknown);
        }
        _strategy = strategies.FirstOrDefault(s => string.Equals(s.Name, options.Value.Strategy, StringComparison.OrdinalIgnoreCase))
                    ?? throw new OptionsValidationException(AssignmentOptions.Section, typeof(AssignmentOptions),
                        [$"unknown assignment strategy '{options.Value.Strategy}'; known: {string.Join(", ", strategies.Select(s => s.Name))}"]);
    }

    public string StrategyName => _strategy.Name;

    /// <summary>A client seen within this window counts as active for load-aware strategies.</summary>
    public TimeSpan ActiveWindow { get; }

    /// <param name="countActiveClientsPerModel">Called only if the strategy looks at load.</param>
    public ModelAssignment Choose(string clientId, ClientCapabilities? capabilities, Func<IReadOnlyDictionary<string, int>> countActiveClientsPerModel) =>
        _strategy.Assign(new AssignmentContext(clientId, capabilities, Candidates(capabilities), countActiveClientsPerModel));

    /// <summary>Runs the strategy again for every client, in ID order, as if all registered anew (load counted as assigned so far).</summary>
    public IReadOnlyList<ModelChange> PlanRebalance(IEnumerable<(string ClientId, string ModelName, ClientCapabilities? Capabilities)> clients)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var changes = new List<ModelChange>();
        foreach (var (clientId, modelName, capabilities) in clients.OrderBy(c => c.ClientId, StringComparer.Ordinal))
        {
            var assignment = Choose(clientId, capabilities, () => counts);
            counts[assignment.ModelName] = counts.GetValueOrDefault(assignment.ModelName) + 1;
            if (assignment.ModelName != modelName)
            {
                changes.Add(new ModelChange(clientId, modelName, assignment.ModelName));
            }
        }
        return changes;
    }

    /// <summary>A client that lists models it already holds gets one of those when the server can serve it.</summary>
    private IReadOnlyList<string> Candidates(ClientCapabilities? capabilities)
    {
        var servable = _runtime.Catalog.Names.ToList();
        var held = capabilities?.Models?.Where(servable.Contains).ToList();
        return held is { Count: > 0 } ? held : servable;
    }
}

/// <summary>One client moved from one model to another.</summary>
public sealed record ModelChange(string ClientId, string From, string To);
