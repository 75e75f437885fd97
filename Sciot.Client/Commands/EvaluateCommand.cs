using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Sciot.Core.Evaluation;
using Sciot.Core.Imaging;
using Sciot.Core.Models;
using Sciot.Core.Splitting;

namespace Sciot.Client.Commands;

/// <summary>
/// <c>evaluate --model NAME [--images 500] [--seed S] [--split k|all] [--models DIR]</c>: generates a held-out set of
/// the demo dataset from the seed, runs the model through ONNX Runtime (whole, or head(k) then tail(k) at one or every
/// cut), decodes the FOMO heat maps and scores centroids (same class, within one grid cell, one to one). Prints
/// per-class precision, recall and F1 and one <c>summary {json}</c> line. Exit 0, or 2 on bad arguments.
/// </summary>
public static class EvaluateCommand
{
    public const int BadArguments = CommandLineParsing.BadArguments;

    public static int Run(string[] args, TextWriter? output = null, TextWriter? error = null)
    {
        output ??= Console.Out;
        error ??= Console.Error;
        var model = new Option<string>("--model") { Description = "model name in the models folder", Required = true };
        var images = new Option<int>("--images") { Description = "held-out frames", DefaultValueFactory = _ => 500 };
        var seed = new Option<int>("--seed") { Description = "dataset seed of the held-out frames", DefaultValueFactory = _ => 1 };
        var split = new Option<string?>("--split") { Description = "k: head(k)+tail(k) at cut k (-1..last layer); all: every cut" };
        var folder = new Option<string?>("--models") { Description = "models folder (default: the nearest models/ above)" };
        var draw = new Option<string?>("--draw") { Description = "also write a PNG of the first 8 frames with truth and detections" };
        var root = new RootCommand("Measures a model's detection accuracy on held-out synthetic scenes") { model, images, seed, split, folder, draw };
        if (CommandLineParsing.Parse(root, "evaluate", args, output, error, out var exitCode) is not { } parse)
        {
            return exitCode;
        }

        var count = parse.GetValue(images);
        if (count < 1)
        {
            return Fail(error, $"--images must be at least 1, got {count}");
        }
        var modelsFolder = parse.GetValue(folder) ?? ModelCatalog.FindFolderAbove(AppContext.BaseDirectory, Directory.GetCurrentDirectory());
        if (modelsFolder is null || !Directory.Exists(modelsFolder))
        {
            return Fail(error, $"models folder '{modelsFolder}' does not exist; pass --models");
        }
        var name = parse.GetValue(model)!;
        if (!File.Exists(Path.Combine(modelsFolder, name, ModelPackage.ManifestFileName)))
        {
            var known = Directory.GetDirectories(modelsFolder).Where(d => File.Exists(Path.Combine(d, ModelPackage.ManifestFileName)))
                .Select(Path.GetFileName).Order(StringComparer.Ordinal);
            return Fail(error, $"--model: no model '{name}' in {modelsFolder}; known: {string.Join(", ", known)}");
        }
        var package = ModelPackage.Load(Path.Combine(modelsFolder, name));
        var last = package.Graph.LastLayer;
        int[] cuts;
        var splitText = parse.GetValue(split);
        if (splitText is null)
        {
            cuts = [];
        }
        else if (splitText == "all")
        {
            cuts = Enumerable.Range(-1, last + 2).ToArray();
        }
        else if (int.TryParse(splitText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var k) && k >= -1 && k <= last)
        {
            cuts = [k];
        }
        else
        {
            return Fail(error, $"--split must be a cut in -1..{last} or 'all', got '{splitText}'");
        }

        var complexity = ModelComplexity.Of(package.Graph);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}: {package.Graph.Layers.Count} layers, {complexity.Parameters:N0} parameters, {complexity.MultiplyAccumulates:N0} MACs per frame, model.onnx {package.OnnxBytes.Length:N0} bytes"));
        var heldOut = HeldOutSet.Generate(package.Manifest, count, parse.GetValue(seed));
        using var runner = new SplitModel(package.Graph);
        var evaluator = new DetectionEvaluator(runner, package.Manifest);
        var full = evaluator.PredictAll(heldOut);
        var fullScore = evaluator.Score(heldOut, full);
        output.WriteLine($"{name}: {count} held-out frames of {SyntheticSceneGenerator.DatasetVersion} (seed {heldOut.Seed}), " +
                         $"threshold {evaluator.Threshold:F2}, match radius {evaluator.MatchRadius:F0} px, whole model");
        WriteTable(output, fullScore);

        if (parse.GetValue(draw) is { } picture)
        {
            var shown = Math.Min(8, count);
            DetectionPicture.Write(picture, heldOut.Scenes.Take(shown).ToList(), full.Take(shown).ToList(), evaluator.MatchRadius,
                $"{name} on held-out scenes of {SyntheticSceneGenerator.DatasetVersion} (seed {heldOut.Seed}, frames 1-{shown} of {count}, F1 over all {fullScore.Total.F1:F3})");
            output.WriteLine($"picture: {Path.GetFullPath(picture)}");
        }

        var cutResults = new List<object>();
        var worst = fullScore.Total.F1;
        var differing = 0;
        if (cuts.Length > 0)
        {
            output.WriteLine();
            output.WriteLine($"{"cut",4}  {"layer",-28} {"F1",6}  predictions");
        }
        foreach (var k in cuts)
        {
            var predictions = evaluator.PredictAll(heldOut, k);
            var score = evaluator.Score(heldOut, predictions);
            var changed = Enumerable.Range(0, count).Count(i => !DetectionEvaluator.SameDetections(predictions[i], full[i]));
            differing += changed > 0 ? 1 : 0;
            worst = Math.Min(worst, score.Total.F1);
            var layer = k < 0 ? "(input)" : package.Graph.Layers[k].Name;
            output.WriteLine($"{k,4}  {layer,-28} {score.Total.F1,6:F4}  {(changed == 0 ? "same as whole model" : $"{changed} frames differ")}");
            cutResults.Add(new { k, f1 = Math.Round(score.Total.F1, 4), frames_differing = changed });
            if (cuts.Length == 1)
            {
                WriteTable(output, score);
            }
        }

        var summary = new Dictionary<string, object?>
        {
            ["model"] = name,
            ["images"] = count,
            ["seed"] = heldOut.Seed,
            ["dataset"] = SyntheticSceneGenerator.DatasetVersion,
            ["split"] = splitText ?? "none",
            ["parameters"] = complexity.Parameters,
            ["macs"] = complexity.MultiplyAccumulates,
            ["onnx_bytes"] = package.OnnxBytes.Length,
            ["f1"] = Math.Round(fullScore.Total.F1, 4),
            ["precision"] = Math.Round(fullScore.Total.Precision, 4),
            ["recall"] = Math.Round(fullScore.Total.Recall, 4),
            ["per_class_f1"] = Enumerable.Range(1, fullScore.Classes.Count - 1)
                .ToDictionary(c => fullScore.Classes[c], c => Math.Round(fullScore.ForClass(c).F1, 4)),
        };
        if (cuts.Length > 0)
        {
            summary["cuts"] = cutResults;
            summary["min_cut_f1"] = Math.Round(worst, 4);
            summary["cuts_differing_from_whole"] = differing;
        }
        output.WriteLine("summary " + JsonSerializer.Serialize(summary));
        return 0;
    }

    private static void WriteTable(TextWriter output, DetectionScore score)
    {
        output.WriteLine($"{"class",-10} {"TP",6} {"FP",6} {"FN",6} {"precision",10} {"recall",8} {"F1",8}");
        for (var c = 1; c < score.Classes.Count; c++)
        {
            Row(output, score.Classes[c], score.ForClass(c));
        }
        Row(output, "overall", score.Total);
    }

    private static void Row(TextWriter output, string label, DetectionMatchResult r) =>
        output.WriteLine($"{label,-10} {r.TruePositives,6} {r.FalsePositives,6} {r.FalseNegatives,6} {r.Precision,10:F4} {r.Recall,8:F4} {r.F1,8:F4}");

    private static int Fail(TextWriter error, string message)
    {
        error.WriteLine($"evaluate: {message}");
        return BadArguments;
    }
}
