using Sciot.Core.Evaluation;
using Sciot.Core.Models;
using Sciot.Core.Models.Building;
using Sciot.Tests.TestSupport;

namespace Sciot.Tests.Models;

/// <summary>
/// The shipped trained models on held-out scenes from a seed training never used (training: 101 and 202, the
/// manifests' figures: 9001): accuracy targets, the accuracy/speed trade between the two, and identical predictions
/// through head(k)+tail(k) at every cut.
/// </summary>
public sealed class TrainedModelAccuracyTests(ShippedModelFixture models) : IClassFixture<ShippedModelFixture>
{
    private const int HeldOutSeed = 424242;
    private const int Images = 500;

    // Every cut on all 500 frames would be 97 x 500 split runs; 120 frames per cut keep the suite fast and still
    // hold ~240 objects and several thousand cells near the threshold.
    private const int CutImages = 120;

    private static readonly Lazy<HeldOutSet> HeldOut = new(() =>
        HeldOutSet.Generate(ModelPackage.ReadManifest(Path.Combine(RepoPaths.Models, ShippedModels.Fomo, ModelPackage.ManifestFileName)), Images, HeldOutSeed));

    [Theory]
    [InlineData(ShippedModels.Fomo, 0.90)]
    [InlineData(ShippedModels.MobileNetLite, 0.80)]
    public void Trained_model_reaches_its_F1_target_on_held_out_scenes(string name, double target)
    {
        var score = Score(name);
        Assert.Equal(Images, score.Frames);
        Assert.True(score.Total.TruePositives + score.Total.FalseNegatives > Images, "the held-out set holds objects");
        Assert.True(score.Total.F1 >= target, $"{name}: F1 {score.Total.F1:F4} < {target} (TP {score.Total.TruePositives}, FP {score.Total.FalsePositives}, FN {score.Total.FalseNegatives})");
    }

    [Fact]
    public void Lite_trades_accuracy_for_compute()
    {
        var fomo = Score(ShippedModels.Fomo).Total.F1;
        var lite = Score(ShippedModels.MobileNetLite).Total.F1;
        Assert.True(fomo > lite, $"fomo F1 {fomo:F4} should beat lite {lite:F4}");
        var fomoMacs = ModelComplexity.Of(models.Catalog.Get(ShippedModels.Fomo).Graph).MultiplyAccumulates;
        var liteMacs = ModelComplexity.Of(models.Catalog.Get(ShippedModels.MobileNetLite).Graph).MultiplyAccumulates;
        Assert.True(liteMacs < fomoMacs, $"lite {liteMacs} MACs should be below fomo {fomoMacs}");
    }

    [Theory]
    [InlineData(ShippedModels.Fomo)]
    [InlineData(ShippedModels.MobileNetLite)]
    public void Head_then_tail_predicts_what_the_whole_model_predicts_at_every_cut(string name)
    {
        var package = models.Catalog.Get(name);
        var evaluator = new DetectionEvaluator(models.Split(name), package.Manifest);
        var set = HeldOutSet.Generate(package.Manifest, CutImages, HeldOutSeed + 1);
        var full = evaluator.PredictAll(set);
        var fullF1 = evaluator.Score(set, full).Total.F1;
        Assert.True(full.Sum(d => d.Count) > CutImages, "the frames hold detections to compare");
        for (var k = -1; k <= package.Graph.LastLayer; k++)
        {
            var split = evaluator.PredictAll(set, k);
            for (var i = 0; i < set.Count; i++)
            {
                Assert.True(DetectionEvaluator.SameDetections(full[i], split[i]), $"{name} cut {k} frame {i}: detections differ");
            }
            Assert.Equal(fullF1, evaluator.Score(set, split).Total.F1);
        }
    }

    [Theory]
    [InlineData(ShippedModels.Fomo)]
    [InlineData(ShippedModels.MobileNetLite)]
    public void Manifest_states_the_accuracy_of_its_training_record(string name)
    {
        var manifest = models.Catalog.Get(name).Manifest;
        var training = manifest.Training!;
        Assert.Equal(training.Accuracy.F1, manifest.Accuracy);
        Assert.DoesNotContain(HeldOutSeed, training.DatasetSeeds);
        Assert.DoesNotContain(HeldOutSeed + 1, training.DatasetSeeds);
        Assert.DoesNotContain(training.Accuracy.Seed, training.DatasetSeeds);
        var c = training.Accuracy.PerClass.Select(p => p.TruePositives).Sum();
        Assert.Equal(training.Accuracy.TruePositives, c);
    }

    private DetectionScore Score(string name)
    {
        var package = models.Catalog.Get(name);
        var evaluator = new DetectionEvaluator(models.Split(name), package.Manifest);
        return evaluator.Score(HeldOut.Value, evaluator.PredictAll(HeldOut.Value));
    }
}
