using Sciot.Core.Models;
using Sciot.Core.Protocol.Json;
using Sciot.Core.Tensors;

namespace Sciot.Core.Imaging;

/// <summary>Turns a model's output into a prediction by the manifest's output kind (FOMO detections or a class), on the edge and on a device alike.</summary>
public static class PredictionDecoder
{
    public static PredictionSummary Decode(ModelManifest manifest, NamedTensor output, float threshold = FomoDecoder.DefaultThreshold)
    {
        if (manifest.Output.Kind == "classification")
        {
            var top = ClassificationDecoder.Decode(output, manifest.Classes);
            return new PredictionSummary { Kind = "classification", Label = top.Label, Score = top.Score };
        }
        var detections = FomoDecoder.Decode(output, manifest.Input.Width, manifest.Input.Height, manifest.Classes, threshold);
        return new PredictionSummary
        {
            Kind = "fomo",
            Detections = detections.Select(d => new DetectionDto(d.Label, d.ClassIndex, d.CenterX, d.CenterY, d.Confidence, d.CellCount)).ToList(),
        };
    }

    /// <summary>The detections of a prediction as the matcher takes them (none for a classification).</summary>
    public static IReadOnlyList<Detection> Detections(PredictionSummary prediction) =>
        prediction.Detections.Select(d => new Detection(d.ClassIndex, d.Label, d.CenterX, d.CenterY, d.Confidence, d.CellCount)).ToList();
}
