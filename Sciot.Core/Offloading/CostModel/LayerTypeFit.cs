namespace Sciot.Core.Offloading.CostModel;

/// <summary>The regression for one layer type: seconds = Σ coefficient × feature over the named features.</summary>
public sealed record LayerTypeFit(string Type, IReadOnlyList<string> Features, IReadOnlyList<double> Coefficients, int Samples)
{
    public double Predict(LayerFeatures layer) =>
        Math.Max(0, Features.Select((f, i) => Coefficients[i] * LayerCostModel.Feature(layer, f)).Sum());

    public override string ToString() =>
        $"{Type} (n={Samples}): " + string.Join(" + ", Features.Select((f, i) => $"{Coefficients[i]:G3}·{f}"));
}
