using Sciot.Core.Imaging;
using Sciot.Core.Models;
using Sciot.Core.Splitting;
using Sciot.Core.Tensors;

namespace Sciot.Core.Evaluation;

/// <summary>
/// Runs a FOMO model over a held-out set, whole or as head(k) then tail(k) with the live tensors copied across the
/// cut as a device and the edge do, decodes each heat map and scores the centroids against ground truth.
/// </summary>
public sealed class DetectionEvaluator(SplitModel model, ModelManifest manifest, float threshold = FomoDecoder.DefaultThreshold)
{
    public float Threshold => threshold;

    /// <summary>One grid cell (input width / grid width): a centroid within it of a true centroid counts as found.</summary>
    public float MatchRadius => manifest.Input.Width / (float)manifest.Output.Shape[^1];

    /// <summary>Detections of one input: the whole model when <paramref name="cut"/> is null, else head(k) + tail(k).</summary>
    public IReadOnlyList<Detection> Predict(NamedTensor input, int? cut = null)
    {
        var outputs = cut is { } k ? model.RunTail(k, model.RunHead(k, [input])) : model.RunFull([input]);
        return FomoDecoder.Decode(outputs[0], manifest.Input.Width, manifest.Input.Height, manifest.Classes, threshold);
    }

    public IReadOnlyList<IReadOnlyList<Detection>> PredictAll(HeldOutSet set, int? cut = null) =>
        set.Inputs.Select(input => Predict(input, cut)).ToList();

    /// <summary>
    /// Same objects found: same classes and cell counts, centroids within <paramref name="tolerance"/> pixels. A split
    /// graph runs BatchNormalization unfused at the cut, so probabilities (and the probability-weighted centroids)
    /// may differ from the whole graph's in the last float bits; which cells pass the threshold must not.
    /// </summary>
    public static bool SameDetections(IReadOnlyList<Detection> a, IReadOnlyList<Detection> b, float tolerance = 1e-3f)
    {
        if (a.Count != b.Count)
        {
            return false;
        }
        static List<Detection> Ordered(IReadOnlyList<Detection> d) =>
            d.OrderBy(x => x.ClassIndex).ThenBy(x => x.CenterY).ThenBy(x => x.CenterX).ToList();
        var (x, y) = (Ordered(a), Ordered(b));
        return x.Zip(y).All(p => p.First.ClassIndex == p.Second.ClassIndex && p.First.CellCount == p.Second.CellCount
                                 && MathF.Abs(p.First.CenterX - p.Second.CenterX) <= tolerance
                                 && MathF.Abs(p.First.CenterY - p.Second.CenterY) <= tolerance);
    }

    public DetectionScore Score(HeldOutSet set, IReadOnlyList<IReadOnlyList<Detection>> predictions)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(predictions);
        if (predictions.Count != set.Count)
        {
            throw new ArgumentException($"{predictions.Count} predictions for {set.Count} frames", nameof(predictions));
        }
        var score = new DetectionScore(manifest.Classes);
        for (var i = 0; i < set.Count; i++)
        {
            score.Add(predictions[i], set.Scenes[i].Objects, MatchRadius);
        }
        return score;
    }
}
