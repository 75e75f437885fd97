using System.Text.Json.Serialization;
using Sciot.Core.Imaging;

namespace Sciot.Core.Evaluation;

/// <summary>
/// Match counts summed over evaluated frames (a running total, or a sliding window's sum). Counts are 64-bit so a
/// long-running total cannot wrap; precision, recall and F1 follow from them by the rules of
/// <see cref="DetectionMatchResult"/> (an empty denominator counts as 1: nothing wrong, nothing missed).
/// </summary>
public sealed record DetectionQuality(long Frames, long TruePositives, long FalsePositives, long FalseNegatives)
{
    public static readonly DetectionQuality None = new(0, 0, 0, 0);

    [JsonIgnore]
    public double Precision => PrecisionOf(TruePositives, FalsePositives);

    [JsonIgnore]
    public double Recall => RecallOf(TruePositives, FalseNegatives);

    [JsonIgnore]
    public double F1 => F1Of(Precision, Recall);

    /// <summary>These totals with one more frame's matches.</summary>
    public DetectionQuality Add(DetectionMatchResult frame) => new(Frames + 1, TruePositives + frame.TruePositives,
        FalsePositives + frame.FalsePositives, FalseNegatives + frame.FalseNegatives);

    public static double PrecisionOf(long truePositives, long falsePositives) =>
        truePositives + falsePositives == 0 ? 1.0 : (double)truePositives / (truePositives + falsePositives);

    public static double RecallOf(long truePositives, long falseNegatives) =>
        truePositives + falseNegatives == 0 ? 1.0 : (double)truePositives / (truePositives + falseNegatives);

    public static double F1Of(double precision, double recall) =>
        precision + recall == 0 ? 0.0 : 2 * precision * recall / (precision + recall);
}
