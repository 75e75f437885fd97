using Sciot.Core.Models.Building;

namespace Sciot.Client.Commands;

/// <summary><c>generate-models [folder]</c>: rewrites the shipped models from the builder (deterministic).</summary>
public static class GenerateModelsCommand
{
    public static int Run(string[] args)
    {
        var folder = args.Length > 1 ? args[1] : "models";
        ShippedModels.WriteAll(folder);
        foreach (var name in ShippedModels.Names)
        {
            var (_, manifest) = ShippedModels.Create(name);
            Console.WriteLine($"{name}: {manifest.Layers.Count} layers, sha256 {manifest.Version} -> {Path.GetFullPath(Path.Combine(folder, name))}");
        }
        return 0;
    }
}
