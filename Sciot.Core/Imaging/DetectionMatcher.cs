namespace Sciot.Core.Imaging;

/// <summary>
/// Scores FOMO detections against ground truth the way FOMO is evaluated: by centroid distance, since FOMO
/// predicts no boxes to compute IoU from.
/// </summary>
public static class DetectionMatcher
{
    /// <summary>
    /// Greedily pairs each detection, most confident first, with the nearest unmatched object of the same class
    /// whose center lies within <paramref name="radius"/> input pixels (one grid cell, W/Gw, is a sensible radius).
    /// </summary>
    public static DetectionMatchResult Match(
        IReadOnlyList<Detection> detections, IReadOnlyList<GroundTruthObject> groundTruth, float radius)
    {
        var (_, found) = Pair(detections, groundTruth, radius);
        var truePositives = found.Count(f => f);
        return new DetectionMatchResult(truePositives, detections.Count - truePositives, groundTruth.Count - truePositives);
    }

    /// <summary>
    /// The pairing <see cref="Match"/> counts: which detections matched an object, and which objects were found
    /// (same order as the inputs), for pictures that mark right, wrong and missed.
    /// </summary>
    public static (bool[] DetectionMatched, bool[] ObjectFound) Pair(
        IReadOnlyList<Detection> detections, IReadOnlyList<GroundTruthObject> groundTruth, float radius)
    {
        ArgumentNullException.ThrowIfNull(detections);
        ArgumentNullException.ThrowIfNull(groundTruth);
        if (!(radius >= 0f))
        {
            throw new ArgumentOutOfRangeException(nameof(radius), radius, "Match radius must be a non-negative distance.");
        }

        var matched = new bool[groundTruth.Count];
        var detectionMatched = new bool[detections.Count];
        foreach (var index in Enumerable.Range(0, detections.Count).OrderByDescending(i => detections[i].Confidence))
        {
            var detection = detections[index];
            var nearest = -1;
            var nearestDistance = float.PositiveInfinity;
            for (var i = 0; i < groundTruth.Count; i++)
            {
                var truth = groundTruth[i];
                if (matched[i] || truth.ClassIndex != detection.ClassIndex)
                {
                    continue;
                }
                var distance = MathF.Sqrt(
                    MathF.Pow(truth.CenterX - detection.CenterX, 2) + MathF.Pow(truth.CenterY - detection.CenterY, 2));
                if (distance <= radius && distance < nearestDistance)
                {
                    nearest = i;
                    nearestDistance = distance;
                }
            }
            if (nearest >= 0)
            {
                matched[nearest] = true;
                detectionMatched[index] = true;
            }
        }
        return (detectionMatched, matched);
    }
}
