using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Sciot.Core.Protocol.Json;
using Sciot.Server.Hosting;
using Sciot.Server.Inference;
using Sciot.Server.Offloading;
using Sciot.Server.Registration;
using Sciot.Tests.TestSupport;

namespace Sciot.Tests.Server.Assignment;

/// <summary>The strategy over a real <see cref="ModelRuntime"/> whose edge costs the test sets, so both outcomes are forced.</summary>
public sealed class PreferenceAssignmentStrategyTests : IDisposable
{
    private static readonly string[] Both = ["fomo_96x96", "mobilenet_lite"];

    private readonly ModelRuntime _runtime = new(
        Options.Create(new ServerOptions { ModelsPath = RepoPaths.Models }),
        Options.Create(new OffloadingOptions()),
        new HostingEnvironment { ContentRootPath = RepoPaths.Root },
        NullLogger<ModelRuntime>.Instance);

    private PreferenceAssignmentStrategy Strategy(string defaultModel = "fomo_96x96") =>
        new(_runtime, new DefaultAssignmentStrategy(Options.Create(new AssignmentOptions { DefaultModel = defaultModel })));

    private void SetEdgeCost(string model, double perLayerSeconds)
    {
        var served = _runtime.Get(model);
        served.AddCalibration(Enumerable.Repeat(perLayerSeconds, served.LayerCount).ToArray());
    }

    private ModelAssignment Assign(string? preference, string defaultModel = "fomo_96x96") =>
        Strategy(defaultModel).Assign(new AssignmentContext("c", preference is null ? null : new ClientCapabilities { Preference = preference }, Both,
            new Dictionary<string, int>()));

    [Fact]
    public void Latency_preference_picks_the_model_with_the_smaller_edge_cost()
    {
        SetEdgeCost("fomo_96x96", 0.001);      // 59 ms in total
        SetEdgeCost("mobilenet_lite", 0.0001); // 3.8 ms in total
        var assignment = Assign("latency");
        Assert.Equal("mobilenet_lite", assignment.ModelName);
        Assert.Contains("3.80 ms", assignment.Reason);
    }

    [Fact]
    public void Latency_preference_follows_the_measurement_not_the_name()
    {
        SetEdgeCost("fomo_96x96", 0.00001);
        SetEdgeCost("mobilenet_lite", 0.01);
        Assert.Equal("fomo_96x96", Assign("LATENCY").ModelName);
    }

    [Fact]
    public void Accuracy_preference_picks_the_highest_manifest_accuracy_not_the_default()
    {
        var fomo = _runtime.Get("fomo_96x96").Manifest.Accuracy!.Value;
        var lite = _runtime.Get("mobilenet_lite").Manifest.Accuracy!.Value;
        Assert.True(fomo > lite, $"the shipped pair trades accuracy for speed: fomo {fomo} vs lite {lite}");
        var assignment = Assign("accuracy", defaultModel: "mobilenet_lite");
        Assert.Equal("fomo_96x96", assignment.ModelName);
        Assert.Contains($"accuracy {fomo:F3}", assignment.Reason);
    }

    [Fact]
    public void No_preference_means_the_default_model()
    {
        SetEdgeCost("fomo_96x96", 0.01);
        SetEdgeCost("mobilenet_lite", 0.0001);
        Assert.Equal("fomo_96x96", Assign(null).ModelName);
    }

    public void Dispose() => _runtime.Dispose();
}
