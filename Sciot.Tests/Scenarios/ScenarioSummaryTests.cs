using Sciot.Client.Scenarios;
using Sciot.Core.Imaging;

namespace Sciot.Tests.Scenarios;

public sealed class ScenarioSummaryTests
{
    [Fact]
    public void Precision_and_recall_are_pooled_over_the_scored_frames_not_averaged_per_frame()
    {
        // Frame 1: 3 wrong detections, no object; frame 2: nothing detected, nothing there; frame 3: not scored;
        // frame 4: 2 found, 2 missed. Averaged per scored frame, precision would be (0 + 1 + 1) / 3.
        var result = new ScenarioResult(new Scenario { Name = "pooled", Clients = [new ClientGroup { Count = 1 }] },
            [Row(new DetectionMatchResult(0, 3, 0)), Row(new DetectionMatchResult(0, 0, 0)), Row(null),
             Row(new DetectionMatchResult(2, 0, 2))],
            WallSeconds: 1);

        var fields = ScenarioSummary.Row(result).Split(',');
        var header = ScenarioSummary.Header.Split(',');

        // Pooled: TP 2, FP 3, FN 2 -> precision 2/5, recall 2/4.
        Assert.Equal("0.4", fields[Array.IndexOf(header, "precision")]);
        Assert.Equal("0.5", fields[Array.IndexOf(header, "recall")]);
    }

    [Fact]
    public void A_row_carries_its_match_counts_so_any_tool_can_pool_them()
    {
        var row = Row(new DetectionMatchResult(2, 1, 3));

        var fields = row.ToCsv().Split(',');
        var header = InferenceRow.Header.Split(',');

        Assert.Equal(header.Length, fields.Length);
        Assert.Equal(("2", "1", "3"), (fields[Array.IndexOf(header, "true_positives")], fields[Array.IndexOf(header, "false_positives")],
            fields[Array.IndexOf(header, "false_negatives")]));
    }

    private static InferenceRow Row(DetectionMatchResult? match) =>
        new(1, "c1", "fomo_96x96", 20, 0.5, 0.1, 0.01, 0.61, 129_024, 3, match, 80_000);
}
