using Sciot.Core.Imaging;
using Sciot.Core.Models;

namespace Sciot.Core.Evaluation;

/// <summary>
/// Detection counts per object class over a set of frames; overall precision, recall and F1 are over all classes'
/// counts together (micro average), so a frequent class weighs as often as it occurs.
/// </summary>
public sealed class DetectionScore
{
    private readonly DetectionMatchResult[] _perClass;

    public DetectionScore(IReadOnlyList<string> classes)
    {
        ArgumentNullException.ThrowIfNull(classes);
        Classes = classes;
        _perClass = Enumerable.Repeat(DetectionMatchResult.Empty, classes.Count).ToArray();
    }

    /// <summary>All labels, index 0 being background (never scored).</summary>
    public IReadOnlyList<string> Classes { get; }

    public int Frames { get; private set; }

    public DetectionMatchResult Total => _perClass.Skip(1).Aggregate(DetectionMatchResult.Empty, (a, b) => a + b);

    public DetectionMatchResult ForClass(int classIndex) => _perClass[classIndex];

    /// <summary>Scores one frame; matching is within <paramref name="radius"/> pixels, same class, one to one.</summary>
    public DetectionMatchResult Add(IReadOnlyList<Detection> detections, IReadOnlyList<GroundTruthObject> truth, float radius)
    {
        var frame = DetectionMatchResult.Empty;
        for (var c = 1; c < Classes.Count; c++)
        {
            var result = DetectionMatcher.Match(
                detections.Where(d => d.ClassIndex == c).ToList(), truth.Where(t => t.ClassIndex == c).ToList(), radius);
            _perClass[c] += result;
            frame += result;
        }
        Frames++;
        return frame;
    }

    public ModelAccuracy ToAccuracy(int seed, float threshold, float radius)
    {
        var total = Total;
        var perClass = Enumerable.Range(1, Classes.Count - 1).Select(c =>
        {
            var r = _perClass[c];
            return new ClassAccuracy(Classes[c], r.TruePositives, r.FalsePositives, r.FalseNegatives,
                Round(r.Precision), Round(r.Recall), Round(r.F1));
        }).ToList();
        return new ModelAccuracy(Frames, seed, threshold, radius, perClass, total.TruePositives, total.FalsePositives,
            total.FalseNegatives, Round(total.Precision), Round(total.Recall), Round(total.F1));
    }

    // Four decimals: what a manifest states and a reader can compare, without float noise in committed files.
    private static double Round(double v) => Math.Round(v, 4);
}
