using Sciot.Core.Models.Building;

namespace Sciot.Client.Commands;

/// <summary><c>generate-models [folder]</c>: rewrites each model.onnx/model.json from the builder and the committed trained weights (deterministic).</summary>
public static class GenerateModelsCommand
{
    public static int Run(string[] args)
    {
        var folder = args.Length > 1 ? args[1] : "models";
        foreach (var name in ShippedModels.Names)
        {
            var manifest = ShippedModels.Write(folder, name);
            Console.WriteLine($"{name}: {manifest.Layers.Count} layers, sha256 {manifest.Version} -> {Path.GetFullPath(Path.Combine(folder, name))}");
        }
        return 0;
    }
}
