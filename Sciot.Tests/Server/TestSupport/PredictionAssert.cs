using System.Text.Json;
using Sciot.Core.Imaging;

namespace Sciot.Tests.Server.TestSupport;

/// <summary>Compares the server's prediction (JSON) with detections decoded locally from the whole model.</summary>
public static class PredictionAssert
{
    public static void SameDetections(IReadOnlyList<Detection> expected, JsonElement actual)
    {
        var got = actual.EnumerateArray().ToList();
        Assert.Equal(expected.Count, got.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Label, got[i].GetProperty("label").GetString());
            Assert.Equal(expected[i].ClassIndex, got[i].GetProperty("class_index").GetInt32());
            Assert.Equal(expected[i].CellCount, got[i].GetProperty("cell_count").GetInt32());
            Assert.Equal(expected[i].CenterX, got[i].GetProperty("center_x").GetSingle(), 0.01f);
            Assert.Equal(expected[i].CenterY, got[i].GetProperty("center_y").GetSingle(), 0.01f);
            Assert.Equal(expected[i].Confidence, got[i].GetProperty("confidence").GetSingle(), 1e-3f);
        }
    }
}
