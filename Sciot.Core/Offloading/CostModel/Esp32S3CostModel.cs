using Sciot.Core.Models;

namespace Sciot.Core.Offloading.CostModel;

/// <summary>
/// The ESP32-S3 cost model: <see cref="LayerCostModel"/> fitted on the 59 layer times the reference project measured
/// on an ESP32-S3 (<c>models/fomo_96x96/reference_layers.csv</c>), with the features of the same layers of the
/// shipped <c>fomo_96x96</c> graph (layer for layer the reference model).
/// </summary>
public static class Esp32S3CostModel
{
    public const string ReferenceModel = "fomo_96x96";
    public const string ReferenceCsv = "reference_layers.csv";

    /// <exception cref="FileNotFoundException">The reference model or CSV is not in <paramref name="modelsFolder"/>.</exception>
    public static LayerCostModel Fit(string modelsFolder)
    {
        var (features, seconds) = Load(modelsFolder);
        return LayerCostModel.Fit(features, seconds);
    }

    public static CostModelFitError Evaluate(string modelsFolder)
    {
        var (features, seconds) = Load(modelsFolder);
        return LayerCostModel.Evaluate(features, seconds);
    }

    private static (IReadOnlyList<LayerFeatures> Features, IReadOnlyList<double> Seconds) Load(string modelsFolder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelsFolder);
        var folder = Path.Combine(modelsFolder, ReferenceModel);
        var measured = DeviceProfile.FromLayerCsv(Path.Combine(folder, ReferenceCsv)).LayerSeconds!;
        var features = LayerFeatureExtractor.Extract(ModelPackage.Load(folder).Graph);
        if (features.Count != measured.Count)
        {
            throw new InvalidDataException(
                $"{Path.Combine(folder, ReferenceCsv)} has {measured.Count} layers but {ReferenceModel}'s graph has {features.Count}.");
        }
        return (features, measured);
    }
}
