using System.CommandLine;
using Sciot.Core.Models;
using Sciot.Core.Models.Building;

namespace Sciot.Client.Commands;

/// <summary>
/// <c>generate-models [folder]</c>: rewrites each model.onnx/model.json of <c>folder</c> (default <c>models</c>) from the
/// builder and the committed trained weights (deterministic). Exit 0, or 2 on bad arguments or a missing or unusable
/// weights or training file (the message names it).
/// </summary>
public static class GenerateModelsCommand
{
    public static int Run(string[] args, TextWriter? output = null, TextWriter? error = null)
    {
        output ??= Console.Out;
        error ??= Console.Error;
        var folder = new Argument<DirectoryInfo>("folder")
        {
            Description = "models folder holding each model's weights.safetensors and training.json",
            DefaultValueFactory = _ => new DirectoryInfo("models"),
        };
        var root = new RootCommand("Regenerates model.onnx and model.json of the shipped models from their trained weights") { folder };
        if (CommandLineParsing.Parse(root, "generate-models", args, output, error, out var exitCode) is not { } parse)
        {
            return exitCode;
        }
        var path = parse.GetValue(folder)!.FullName;
        if (!Directory.Exists(path))
        {
            error.WriteLine($"generate-models: folder '{path}' does not exist");
            return CommandLineParsing.BadArguments;
        }
        try
        {
            foreach (var name in ShippedModels.Names)
            {
                var manifest = ShippedModels.Write(path, name);
                output.WriteLine($"{name}: {manifest.Layers.Count} layers, sha256 {manifest.Version} -> {Path.Combine(path, name)}");
            }
        }
        catch (ModelLoadException e)
        {
            error.WriteLine($"generate-models: {e.Message}");
            return CommandLineParsing.BadArguments;
        }
        return 0;
    }
}
