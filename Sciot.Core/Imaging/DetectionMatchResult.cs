using Sciot.Core.Evaluation;

namespace Sciot.Core.Imaging;

/// <summary>Detection counts for one or more frames; add results together to accumulate a running score.</summary>
public sealed record DetectionMatchResult(int TruePositives, int FalsePositives, int FalseNegatives)
{
    public static readonly DetectionMatchResult Empty = new(0, 0, 0);

    /// <summary>1 when nothing was detected: no detection was wrong.</summary>
    public double Precision => DetectionQuality.PrecisionOf(TruePositives, FalsePositives);

    /// <summary>1 when there was nothing to find: no object was missed.</summary>
    public double Recall => DetectionQuality.RecallOf(TruePositives, FalseNegatives);

    public double F1 => DetectionQuality.F1Of(Precision, Recall);

    public static DetectionMatchResult operator +(DetectionMatchResult a, DetectionMatchResult b) =>
        new(a.TruePositives + b.TruePositives, a.FalsePositives + b.FalsePositives, a.FalseNegatives + b.FalseNegatives);
}
