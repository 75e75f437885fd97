using Sciot.Core.Imaging;

namespace Sciot.Tests.Imaging;

public class DetectionMatcherTests
{
    private static Detection Det(int cls, float x, float y, float confidence = 0.9f) => new(cls, $"c{cls}", x, y, confidence, 1);

    private static GroundTruthObject Truth(int cls, float x, float y) => new(cls, $"c{cls}", x, y, 16, (int)(x / 8), (int)(y / 8));

    [Fact]
    public void CountsTruePositivesFalsePositivesAndMisses()
    {
        Detection[] detections = [Det(1, 20, 20), Det(2, 60, 60), Det(1, 80, 10)];
        GroundTruthObject[] truth = [Truth(1, 24, 22), Truth(1, 60, 60), Truth(2, 40, 40)];

        var result = DetectionMatcher.Match(detections, truth, radius: 8);

        Assert.Equal(new DetectionMatchResult(1, 2, 2), result);
        Assert.Equal(1 / 3.0, result.Precision, 6);
        Assert.Equal(1 / 3.0, result.Recall, 6);
    }

    [Fact]
    public void ClassMismatch_IsNotAMatch()
    {
        var result = DetectionMatcher.Match([Det(2, 10, 10)], [Truth(1, 10, 10)], radius: 8);

        Assert.Equal(new DetectionMatchResult(0, 1, 1), result);
    }

    [Fact]
    public void EachObjectMatchesOnlyOnce_MostConfidentWins()
    {
        Detection[] detections = [Det(1, 12, 10, 0.6f), Det(1, 10, 10, 0.9f)];

        var result = DetectionMatcher.Match(detections, [Truth(1, 10, 10)], radius: 8);

        Assert.Equal(new DetectionMatchResult(1, 1, 0), result);
    }

    [Fact]
    public void DistanceExactlyAtRadius_Matches()
    {
        var result = DetectionMatcher.Match([Det(1, 13, 14)], [Truth(1, 10, 10)], radius: 5);

        Assert.Equal(1, result.TruePositives);
    }

    [Fact]
    public void Results_Accumulate()
    {
        var total = DetectionMatchResult.Empty + new DetectionMatchResult(2, 1, 0) + new DetectionMatchResult(1, 0, 3);

        Assert.Equal(new DetectionMatchResult(3, 1, 3), total);
        Assert.Equal(0.75, total.Precision, 6);
        Assert.Equal(0.5, total.Recall, 6);
        Assert.Equal(1.0, DetectionMatchResult.Empty.Precision);
    }
}
