using System.Diagnostics;
using System.Text.Json;
using Sciot.Core.Evaluation;
using Sciot.Core.Imaging;
using Sciot.Core.Models;
using Sciot.Core.Models.Building;
using Sciot.Core.Models.Weights;
using Sciot.Core.Splitting;
using Sciot.Core.Tensors;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Sciot.Training;

/// <summary>
/// Trains one shipped model on fresh demo-dataset scenes every step (the generator is the augmentation: every
/// frame is new), FOMO loss (per-cell cross-entropy, object classes weighted over background), Adam with a
/// one-cycle schedule. Then writes the weights, checks ONNX Runtime against TorchSharp on the exported graph,
/// measures accuracy on a held-out set and regenerates model.onnx/model.json.
/// </summary>
public static class Trainer
{
    private const int LogEvery = 50;
    private const int CheckImages = 32;

    public static int Run(TrainingOptions o)
    {
        torch.set_num_threads(o.Threads);
        torch.manual_seed(ShippedModels.InitSeed(o.Model));
        var folder = Path.Combine(o.ModelsFolder, o.Model);
        var recordPath = Path.Combine(folder, ShippedModels.TrainingRecordFileName);
        var previous = o.Resume ? ShippedModels.ReadTrainingRecord(recordPath) : null;
        if (previous is not null && previous.DatasetSeeds.Contains(o.DatasetSeed))
        {
            throw new ArgumentException($"--seed {o.DatasetSeed} was already trained on ({string.Join(", ", previous.DatasetSeeds)}); a new phase needs new frames");
        }
        IWeightSource start = previous is null
            ? new SeededWeights(ShippedModels.InitSeed(o.Model))
            : TrainedWeights.Load(Path.Combine(folder, TrainedWeights.FileName), o.Model);
        var blueprint = ShippedModels.Blueprint(o.Model, start);
        var input = blueprint.Model.Graph.Input[0];
        var grid = blueprint.Layers[^1].Shape;
        var (classes, gridH, gridW) = (grid[1], grid[2], grid[3]);
        var (height, width) = ((int)input.Type.TensorType.Shape.Dim[2].DimValue, (int)input.Type.TensorType.Shape.Dim[3].DimValue);

        using var net = new TorchGraph(blueprint.Model);
        var generator = new SyntheticSceneGenerator(width, height, ShippedModels.DemoClasses, o.DatasetSeed);
        using var classWeights = torch.tensor(Enumerable.Range(0, classes).Select(c => c == 0 ? 1f : (float)o.ObjectWeight).ToArray());
        var optimizer = torch.optim.Adam(net.Parameters, o.LearningRate);
        var schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, o.LearningRate, o.Steps);

        Console.WriteLine($"{o.Model}: {net.Parameters.Sum(p => p.numel())} parameters, {o.Steps} steps of {o.BatchSize}, " +
                          $"dataset {SyntheticSceneGenerator.DatasetVersion} seed {o.DatasetSeed}, {o.Threads} threads");
        var clock = Stopwatch.StartNew();
        double smoothed = double.NaN, last = 0;
        var generation = TimeSpan.Zero;
        for (var step = 1; step <= o.Steps; step++)
        {
            using var scope = torch.NewDisposeScope();
            var generationStart = Stopwatch.GetTimestamp();
            var (x, y) = Batch(generator, o.BatchSize, gridH, gridW);
            generation += Stopwatch.GetElapsedTime(generationStart);
            var logits = net.Forward(x, training: true, net.LogitsName);
            var loss = F.cross_entropy(logits, y, classWeights);
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
            schedule.step();
            last = loss.item<float>();
            smoothed = double.IsNaN(smoothed) ? last : 0.98 * smoothed + 0.02 * last;
            if (step % LogEvery == 0 || step == o.Steps)
            {
                Console.WriteLine($"  step {step,5}  loss {smoothed:F4}  {clock.Elapsed.TotalSeconds,6:F0} s (frames {generation.TotalSeconds:F0} s)");
            }
        }
        var seconds = clock.Elapsed.TotalSeconds;

        var weightsPath = Path.Combine(folder, TrainedWeights.FileName);
        var exported = net.Export();
        var tensors = blueprint.Model.Graph.Initializer.Where(i => exported.ContainsKey(i.Name))
            .Select(i => new StoredTensor(i.Name, i.Dims.ToArray(), exported[i.Name])).ToList();
        var file = new SafeTensorsFile(TrainedWeights.Metadata(o.Model, SyntheticSceneGenerator.DatasetVersion), tensors);
        File.WriteAllBytes(weightsPath, file.ToBytes());

        // The graph ONNX Runtime will run, built by the same Core builder from the file just written.
        var trained = TrainedWeights.Load(weightsPath, o.Model);
        var built = ShippedModels.Blueprint(o.Model, trained);
        trained.EnsureAllUsed();
        using var split = new SplitModel(ModelGraph.Create(built.Model, built.Layers));
        var (_, untrainedManifest) = ShippedModels.Describe(o.Model, built, null);

        var accuracy = Measure(split, untrainedManifest, o);
        var record = new TrainingRecord
        {
            WeightsFile = TrainedWeights.FileName,
            WeightsSha256 = ShippedModels.Sha256Hex(File.ReadAllBytes(weightsPath)),
            DatasetVersion = SyntheticSceneGenerator.DatasetVersion,
            DatasetSeeds = [.. previous?.DatasetSeeds ?? [], o.DatasetSeed],
            InitSeed = ShippedModels.InitSeed(o.Model),
            Steps = (previous?.Steps ?? 0) + o.Steps,
            BatchSize = o.BatchSize,
            Optimizer = "Adam, one-cycle learning-rate schedule per phase",
            Loss = "per-cell cross-entropy, object classes weighted over background (see phases)",
            Phases = [.. previous?.Phases ?? [], $"{o.Steps} steps of {o.BatchSize} frames (seed {o.DatasetSeed}), peak learning rate {o.LearningRate}, " +
                $"object weight {o.ObjectWeight}x, {o.Threads} threads, {seconds:F0} s, final loss {smoothed:F4}"],
            FinalLoss = Math.Round(smoothed, 4),
            TrainingSeconds = Math.Round((previous?.TrainingSeconds ?? 0) + seconds, 1),
            Trainer = $"models/training, TorchSharp 0.107.0, libtorch 2.10.0 CPU, {o.Threads} threads",
            Accuracy = accuracy,
        };
        File.WriteAllText(recordPath,
            JsonSerializer.Serialize(record, ModelManifest.JsonOptions) + "\n");
        var manifest = ShippedModels.Write(o.ModelsFolder, o.Model);
        // Last, so a failing check cannot leave weights without their record.
        Console.WriteLine($"  ONNX Runtime vs TorchSharp on {CheckImages} held-out frames: max abs diff {MaxDifference(net, split, untrainedManifest):E2}");
        Console.WriteLine($"  trained in {seconds:F0} s, final loss {smoothed:F4} (last batch {last:F4})");
        foreach (var c in accuracy.PerClass)
        {
            Console.WriteLine($"  {c.Name,-8} precision {c.Precision:F3} recall {c.Recall:F3} F1 {c.F1:F3}");
        }
        Console.WriteLine($"  overall  precision {accuracy.Precision:F3} recall {accuracy.Recall:F3} F1 {accuracy.F1:F3} " +
                          $"on {accuracy.Images} frames (seed {accuracy.Seed}); model.onnx sha256 {manifest.Version}");
        return 0;
    }

    private static ModelAccuracy Measure(SplitModel split, ModelManifest manifest, TrainingOptions o)
    {
        var evaluator = new DetectionEvaluator(split, manifest);
        var set = HeldOutSet.Generate(manifest, o.EvaluationImages, o.EvaluationSeed);
        return evaluator.Score(set, evaluator.PredictAll(set)).ToAccuracy(o.EvaluationSeed, evaluator.Threshold, evaluator.MatchRadius);
    }

    /// <summary>
    /// Measures the committed weights again and updates the record's accuracy and weights hash (e.g. after a run
    /// whose record an earlier version of this tool failed to write; the record's phases say how they were trained).
    /// </summary>
    public static int Remeasure(TrainingOptions o)
    {
        var folder = Path.Combine(o.ModelsFolder, o.Model);
        var recordPath = Path.Combine(folder, ShippedModels.TrainingRecordFileName);
        var weightsPath = Path.Combine(folder, TrainedWeights.FileName);
        var weights = TrainedWeights.Load(weightsPath, o.Model);
        var built = ShippedModels.Blueprint(o.Model, weights);
        weights.EnsureAllUsed();
        using var split = new SplitModel(ModelGraph.Create(built.Model, built.Layers));
        var (_, manifest) = ShippedModels.Describe(o.Model, built, null);
        var record = ShippedModels.ReadTrainingRecord(recordPath) with
        {
            WeightsSha256 = ShippedModels.Sha256Hex(File.ReadAllBytes(weightsPath)),
            Accuracy = Measure(split, manifest, o),
        };
        File.WriteAllText(recordPath, JsonSerializer.Serialize(record, ModelManifest.JsonOptions) + "\n");
        var written = ShippedModels.Write(o.ModelsFolder, o.Model);
        Console.WriteLine($"  {o.Model}: F1 {record.Accuracy.F1:F4} on {record.Accuracy.Images} frames (seed {record.Accuracy.Seed}); model.onnx sha256 {written.Version}");
        return 0;
    }

    private static (Tensor X, Tensor Y) Batch(SyntheticSceneGenerator generator, int batch, int gridH, int gridW)
    {
        var plane = generator.Width * generator.Height * RgbImage.Channels;
        var pixels = new float[batch * plane];
        var labels = new long[batch * gridH * gridW];
        for (var b = 0; b < batch; b++)
        {
            var scene = generator.Next();
            InputTensorizer.ToNchw(scene.Image).CopyTo(pixels, b * plane);
            foreach (var o in scene.Objects)
            {
                labels[b * gridH * gridW + o.CellY * gridW + o.CellX] = o.ClassIndex;
            }
        }
        return (torch.tensor(pixels, [batch, RgbImage.Channels, generator.Height, generator.Width]),
            torch.tensor(labels, [batch, gridH, gridW]));
    }

    private static double MaxDifference(TorchGraph net, SplitModel split, ModelManifest manifest)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var set = HeldOutSet.Generate(manifest, CheckImages, seed: 1);
        var max = 0.0;
        foreach (var input in set.Inputs)
        {
            var expected = net.Forward(torch.tensor(input.Data, input.Shape.Select(d => (long)d).ToArray()), training: false)
                .data<float>().ToArray();
            var actual = split.RunFull([input])[0].Data;
            max = Math.Max(max, expected.Zip(actual, (a, b) => Math.Abs(a - b)).Max());
        }
        return max;
    }
}
