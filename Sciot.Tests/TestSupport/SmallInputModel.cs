using Google.Protobuf;
using Sciot.Core.Models;
using Sciot.Core.Models.Building;

namespace Sciot.Tests.TestSupport;

/// <summary>
/// A FOMO-shaped detector on 48x48 frames (two stride-2 convolutions to the 12x12 grid, then the head), untrained.
/// Both shipped models take 96x96 frames, so only a catalog with this one shows a switch between input sizes.
/// </summary>
public static class SmallInputModel
{
    public const string Name = "fomo_48x48";

    /// <summary>A models folder with <c>fomo_96x96</c> copied from the repository and this model written next to it.</summary>
    public static string WriteCatalogWithFomo(string folder)
    {
        var fomo = Directory.CreateDirectory(Path.Combine(folder, ShippedModels.Fomo)).FullName;
        foreach (var file in new[] { ModelPackage.ManifestFileName, ModelPackage.OnnxFileName })
        {
            File.Copy(Path.Combine(RepoPaths.Models, ShippedModels.Fomo, file), Path.Combine(fomo, file), overwrite: true);
        }
        var b = new OnnxGraphBuilder(Name, "input", 3, 48, 48, new SeededWeights(48));
        var x = b.Conv("conv1", b.InputName, 8, 3, 2, (0, 0, 1, 1), relu: true);
        x = b.Conv("conv2", x, 16, 3, 2, (0, 0, 1, 1), relu: true);
        x = b.Conv("head", x, 32, 1, 1, (0, 0, 0, 0), bias: true, relu: true);
        x = b.Conv("logits", x, ShippedModels.DemoClasses.Count, 1, 1, (0, 0, 0, 0), bias: true);
        x = b.ChannelSoftmax("softmax", x);
        var blueprint = new ModelBlueprint(b.Build(x, "Sciot.Tests", "48x48 input for model-switch tests"), b.Layers, b.InputName, x);
        var onnx = blueprint.Model.ToByteArray();
        var manifest = new ModelManifest
        {
            Name = Name,
            Description = "untrained 48x48 FOMO-shaped detector (tests only)",
            Version = ShippedModels.Sha256Hex(onnx),
            Input = new ModelInputSpec(b.InputName, [1, 3, 48, 48], "NCHW", "RGB", 1f / 255f, 0f),
            Output = new ModelOutputSpec(x, b.ShapeOf(x), "fomo"),
            Classes = ShippedModels.DemoClasses,
            Weights = "untrained (seed 48)",
            Layers = b.Layers,
        };
        var own = Directory.CreateDirectory(Path.Combine(folder, Name)).FullName;
        File.WriteAllBytes(Path.Combine(own, ModelPackage.OnnxFileName), onnx);
        File.WriteAllText(Path.Combine(own, ModelPackage.ManifestFileName), ShippedModels.SerializeManifest(manifest));
        return folder;
    }
}
