using Sciot.Core.Evaluation;
using Sciot.Server.Sessions;

namespace Sciot.Server.Api;

/// <summary>
/// How well the server's predictions for a client matched its frames' ground truth, as the device scored them
/// (<c>quality</c> in its v2 results): over every result it reported since its model was assigned, and over the last
/// <see cref="WindowSize"/> of them (<see cref="Window"/>, since the server's last start).
/// </summary>
public sealed record DetectionQualityView(long EvaluatedFrames, long TruePositives, long FalsePositives, long FalseNegatives,
    double Precision, double Recall, double F1)
{
    public DetectionQualityView? Window { get; init; }

    public int? WindowSize { get; init; }

    /// <summary>Null for a client that never reported quality (v1 firmware, frames without ground truth).</summary>
    public static DetectionQualityView? Of(ClientSessionSnapshot s) => s.Statistics.Quality is { } total
        ? Figures(total) with { Window = Figures(s.RecentQuality), WindowSize = s.QualityWindow }
        : null;

    private static DetectionQualityView Figures(DetectionQuality q) =>
        new(q.Frames, q.TruePositives, q.FalsePositives, q.FalseNegatives, q.Precision, q.Recall, q.F1);
}
