using Microsoft.Extensions.Options;
using Sciot.Server.Registration;

namespace Sciot.Tests.Server.Assignment;

public sealed class DefaultAssignmentStrategyTests
{
    private static ModelAssignment Assign(string defaultModel, params string[] candidates) =>
        new DefaultAssignmentStrategy(Options.Create(new AssignmentOptions { DefaultModel = defaultModel }))
            .Assign(new AssignmentContext("c", null, candidates, new Dictionary<string, int>()));

    [Fact]
    public void Everyone_gets_the_default_model()
    {
        Assert.Equal("fomo_96x96", Assign("fomo_96x96", "fomo_96x96", "mobilenet_lite").ModelName);
        Assert.Equal("mobilenet_lite", Assign("mobilenet_lite", "fomo_96x96", "mobilenet_lite").ModelName);
    }

    [Fact]
    public void Without_the_default_among_the_candidates_the_first_candidate_is_used()
    {
        var assignment = Assign("fomo_96x96", "mobilenet_lite");
        Assert.Equal("mobilenet_lite", assignment.ModelName);
        Assert.Contains("not servable", assignment.Reason);
    }
}
