using Microsoft.Extensions.Options;
using Sciot.Server.Registration;

namespace Sciot.Tests.Server.Assignment;

public sealed class LeastLoadedAssignmentStrategyTests
{
    private static readonly string[] Both = ["fomo_96x96", "mobilenet_lite"];

    private static LeastLoadedAssignmentStrategy Strategy(string defaultModel = "fomo_96x96") =>
        new(Options.Create(new AssignmentOptions { Strategy = LeastLoadedAssignmentStrategy.StrategyName, DefaultModel = defaultModel }));

    private static AssignmentContext Context(Dictionary<string, int> counts, string[]? candidates = null) =>
        new("c1", null, candidates ?? Both, counts);

    [Fact]
    public void Picks_the_model_with_fewer_active_clients()
    {
        Assert.Equal("mobilenet_lite", Strategy().Assign(Context(new() { ["fomo_96x96"] = 3, ["mobilenet_lite"] = 2 })).ModelName);
        Assert.Equal("fomo_96x96", Strategy().Assign(Context(new() { ["fomo_96x96"] = 1, ["mobilenet_lite"] = 4 })).ModelName);
    }

    [Fact]
    public void A_model_nobody_uses_counts_as_zero()
    {
        var assignment = Strategy().Assign(Context(new() { ["fomo_96x96"] = 1 }));
        Assert.Equal("mobilenet_lite", assignment.ModelName);
        Assert.Contains("0 active", assignment.Reason);
    }

    [Fact]
    public void Ties_go_to_the_default_model()
    {
        Assert.Equal("fomo_96x96", Strategy().Assign(Context(new())).ModelName);
        Assert.Equal("fomo_96x96", Strategy().Assign(Context(new() { ["fomo_96x96"] = 2, ["mobilenet_lite"] = 2 })).ModelName);
        Assert.Equal("mobilenet_lite", Strategy("mobilenet_lite").Assign(Context(new() { ["fomo_96x96"] = 2, ["mobilenet_lite"] = 2 })).ModelName);
    }

    [Fact]
    public void Ties_without_the_default_go_by_name()
    {
        var assignment = Strategy("other").Assign(Context(new(), ["zeta", "alpha"]));
        Assert.Equal("alpha", assignment.ModelName);
    }

    [Fact]
    public void Chooses_only_among_the_candidates()
    {
        Assert.Equal("fomo_96x96", Strategy().Assign(Context(new() { ["fomo_96x96"] = 10 }, ["fomo_96x96"])).ModelName);
    }
}
