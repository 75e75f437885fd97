using Microsoft.Extensions.Options;
using Sciot.Server.Registration;

namespace Sciot.Tests.Server.Assignment;

/// <summary>Counting the active clients walks the fleet, so it happens only for a strategy that reads the counts, and once.</summary>
public sealed class AssignmentContextTests
{
    private static readonly IOptions<AssignmentOptions> Options = Microsoft.Extensions.Options.Options.Create(new AssignmentOptions { DefaultModel = "fomo_96x96" });
    private static readonly string[] Both = ["fomo_96x96", "mobilenet_lite"];

    [Fact]
    public void A_strategy_that_ignores_load_never_counts_the_fleet()
    {
        var counted = 0;
        var context = new AssignmentContext("c", null, Both, () => { counted++; return new Dictionary<string, int>(); });

        var assignment = new DefaultAssignmentStrategy(Options).Assign(context);

        Assert.Equal(("fomo_96x96", 0), (assignment.ModelName, counted));
    }

    [Fact]
    public void Least_loaded_counts_once_although_it_reads_the_counts_twice()
    {
        var counted = 0;
        var context = new AssignmentContext("c", null, Both, () =>
        {
            counted++;
            return new Dictionary<string, int> { ["fomo_96x96"] = 3, ["mobilenet_lite"] = 1 };
        });

        var assignment = new LeastLoadedAssignmentStrategy(Options).Assign(context);

        Assert.Equal(("mobilenet_lite", "least loaded (1 active clients)", 1), (assignment.ModelName, assignment.Reason, counted));
    }
}
