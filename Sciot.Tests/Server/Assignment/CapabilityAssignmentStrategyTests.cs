using Microsoft.Extensions.Options;
using Microsoft.Extensions.Logging.Abstractions;
using Sciot.Core.Protocol.Json;
using Sciot.Server.Registration;

namespace Sciot.Tests.Server.Assignment;

public sealed class CapabilityAssignmentStrategyTests
{
    private static readonly string[] Both = ["fomo_96x96", "mobilenet_lite"];

    private static CapabilityAssignmentStrategy Strategy(params CapabilityRule[] rules)
    {
        var options = Options.Create(new AssignmentOptions { Strategy = CapabilityAssignmentStrategy.StrategyName, Rules = [.. rules] });
        return new CapabilityAssignmentStrategy(options, new DefaultAssignmentStrategy(options), NullLogger<CapabilityAssignmentStrategy>.Instance);
    }

    private static ModelAssignment Assign(CapabilityAssignmentStrategy strategy, string clientId, ClientCapabilities? caps = null, string[]? candidates = null) =>
        strategy.Assign(new AssignmentContext(clientId, caps, candidates ?? Both, new Dictionary<string, int>()));

    [Fact]
    public void Client_id_pattern_selects_the_model()
    {
        var strategy = Strategy(new CapabilityRule { ClientIdPattern = "^mobile_", Model = "mobilenet_lite" });

        var matched = Assign(strategy, "mobile_7");
        Assert.Equal("mobilenet_lite", matched.ModelName);
        Assert.Equal("capability rule 0", matched.Reason);

        var unmatched = Assign(strategy, "camera_1");
        Assert.Equal("fomo_96x96", unmatched.ModelName);
        Assert.StartsWith("no capability rule matched", unmatched.Reason);
        // The pattern is anchored: "mobile_" in the middle is no match.
        Assert.Equal("fomo_96x96", Assign(strategy, "my_mobile_1").ModelName);
    }

    [Fact]
    public void Capability_conditions_must_all_hold_and_first_match_wins()
    {
        var strategy = Strategy(
            new CapabilityRule { DeviceClass = "esp32s3", MaxRamKb = 256, Model = "mobilenet_lite" },
            new CapabilityRule { MinRamKb = 8192, Model = "fomo_96x96" },
            new CapabilityRule { MaxCpuMhz = 80, Model = "mobilenet_lite" });

        Assert.Equal("mobilenet_lite", Assign(strategy, "a", new ClientCapabilities { DeviceClass = "ESP32S3", RamKb = 200 }).ModelName);
        // Right class, too much RAM for rule 0; no other rule matches.
        Assert.StartsWith("no capability rule", Assign(strategy, "b", new ClientCapabilities { DeviceClass = "esp32s3", RamKb = 512 }).Reason);
        Assert.Equal("capability rule 1", Assign(strategy, "c", new ClientCapabilities { RamKb = 16384, CpuMhz = 40 }).Reason);
        Assert.Equal("capability rule 2", Assign(strategy, "d", new ClientCapabilities { RamKb = 512, CpuMhz = 40 }).Reason);
        // A RAM condition never holds for a client that did not state its RAM.
        Assert.StartsWith("no capability rule", Assign(strategy, "e").Reason);
    }

    [Fact]
    public void A_rule_for_a_model_outside_the_candidates_is_skipped()
    {
        var strategy = Strategy(new CapabilityRule { ClientIdPattern = "^mobile_", Model = "mobilenet_lite" });
        Assert.Equal("fomo_96x96", Assign(strategy, "mobile_1", candidates: ["fomo_96x96"]).ModelName);
    }
}
