using Sciot.Core.Imaging;
using Sciot.Core.Tensors;

namespace Sciot.Tests.Imaging;

public class FomoDecoderTests
{
    private const int Grid = 12;
    private const int Input = 96;
    private static readonly string[] Labels = ["background", "circle", "square"];

    [Fact]
    public void SingleHotCell_GivesOneDetectionAtCellCenter()
    {
        var map = HeatMap((1, 3, 5, 0.9f));

        var detection = Assert.Single(FomoDecoder.Decode(map, Input, Input, Labels));

        Assert.Equal(1, detection.ClassIndex);
        Assert.Equal("circle", detection.Label);
        Assert.Equal(28f, detection.CenterX, 4);
        Assert.Equal(44f, detection.CenterY, 4);
        Assert.Equal(0.9f, detection.Confidence, 6);
        Assert.Equal(1, detection.CellCount);
    }

    [Fact]
    public void DiagonallyTouchingCells_AreMergedAtWeightedCentroid()
    {
        var map = HeatMap((1, 2, 2, 0.8f), (1, 3, 3, 0.6f));

        var detection = Assert.Single(FomoDecoder.Decode(map, Input, Input, Labels));

        var expected = (0.8f * 20 + 0.6f * 28) / 1.4f;
        Assert.Equal(expected, detection.CenterX, 3);
        Assert.Equal(expected, detection.CenterY, 3);
        Assert.Equal(0.8f, detection.Confidence, 6);
        Assert.Equal(2, detection.CellCount);
    }

    [Fact]
    public void SeparatedBlobs_GiveTwoDetectionsSortedByConfidence()
    {
        var map = HeatMap((1, 1, 1, 0.7f), (1, 8, 8, 0.95f), (1, 9, 8, 0.6f));

        var detections = FomoDecoder.Decode(map, Input, Input, Labels);

        Assert.Equal(2, detections.Count);
        Assert.Equal(0.95f, detections[0].Confidence, 6);
        Assert.Equal(2, detections[0].CellCount);
        Assert.Equal(0.7f, detections[1].Confidence, 6);
        Assert.Equal(12f, detections[1].CenterX, 4);
    }

    [Fact]
    public void CellsAtOrBelowThreshold_AreIgnored()
    {
        var map = HeatMap((1, 4, 4, 0.5f), (2, 7, 7, 0.3f));

        Assert.Empty(FomoDecoder.Decode(map, Input, Input, Labels));
        Assert.Equal(2, FomoDecoder.Decode(map, Input, Input, Labels, threshold: 0.2f).Count);
    }

    [Fact]
    public void AdjacentCellsOfDifferentClasses_StayApart()
    {
        var map = HeatMap((1, 4, 4, 0.9f), (2, 5, 4, 0.8f));

        var detections = FomoDecoder.Decode(map, Input, Input, Labels);

        Assert.Equal(2, detections.Count);
        Assert.Equal(("circle", 36f), (detections[0].Label, detections[0].CenterX));
        Assert.Equal(("square", 44f), (detections[1].Label, detections[1].CenterX));
    }

    [Fact]
    public void NonSquareInput_ScalesEachAxis()
    {
        var map = HeatMap((1, 0, 0, 0.9f));

        var detection = Assert.Single(FomoDecoder.Decode(map, 120, 96, Labels));

        Assert.Equal(5f, detection.CenterX, 4);
        Assert.Equal(4f, detection.CenterY, 4);
    }

    [Fact]
    public void NhwcLayout_IsDecodedLikeNchw()
    {
        var nchw = HeatMap((1, 3, 5, 0.9f), (2, 10, 1, 0.7f));
        var nhwc = new float[nchw.Data.Length];
        var cells = Grid * Grid;
        for (var c = 0; c < Labels.Length; c++)
        {
            for (var cell = 0; cell < cells; cell++)
            {
                nhwc[cell * Labels.Length + c] = nchw.Data[c * cells + cell];
            }
        }

        var detections = FomoDecoder.Decode(nhwc, [1, Grid, Grid, Labels.Length], Input, Input, Labels, layout: HeatMapLayout.Nhwc);

        Assert.Equal(FomoDecoder.Decode(nchw, Input, Input, Labels), detections);
    }

    [Fact]
    public void LabelCountMismatch_Throws()
    {
        var map = HeatMap();

        Assert.Throws<ArgumentException>(() => FomoDecoder.Decode(map, Input, Input, ["background", "circle"]));
    }

    [Fact]
    public void DataLengthMismatch_Throws()
    {
        Assert.Throws<ArgumentException>(() => FomoDecoder.Decode(new float[10], [1, 3, Grid, Grid], Input, Input, Labels));
    }

    /// <summary>A [1,3,12,12] softmax heat map with the given (class, x, y, probability) cells and background elsewhere.</summary>
    private static NamedTensor HeatMap(params (int Class, int X, int Y, float P)[] hot)
    {
        var cells = Grid * Grid;
        var data = new float[Labels.Length * cells];
        Array.Fill(data, 1f, 0, cells);
        foreach (var (c, x, y, p) in hot)
        {
            var cell = y * Grid + x;
            data[c * cells + cell] = p;
            data[cell] -= p;
        }
        return new NamedTensor("heatmap", [1, Labels.Length, Grid, Grid], data);
    }
}
