using Sciot.Core.Splitting;

namespace Sciot.Core.Offloading.CostModel;

/// <summary>
/// A per-layer device time model in the manner of Neurosurgeon: one least-squares regression per layer type on the
/// layer's MACs and bytes moved, fitted on layers timed on the real device, then applied to layers of any model.
/// For each type the richest regression that has spare observations and non-negative coefficients is kept (a
/// negative rate would predict negative time for a larger layer); types the data lacks use a regression over all layers.
/// </summary>
public sealed class LayerCostModel
{
    public const string Macs = "macs";
    public const string Bytes = "bytes";
    public const string Intercept = "1";

    // Elementwise layers have MACs proportional to bytes, so their two-rate fits are singular and skipped.
    private static readonly string[][] Candidates =
    [
        [Macs, Bytes, Intercept],
        [Macs, Intercept],
        [Bytes, Intercept],
        [Macs, Bytes],
        [Macs],
        [Bytes],
    ];

    private readonly Dictionary<string, LayerTypeFit> _byType;

    private LayerCostModel(Dictionary<string, LayerTypeFit> byType, LayerTypeFit pooled)
    {
        _byType = byType;
        Pooled = pooled;
    }

    public IReadOnlyCollection<LayerTypeFit> TypeFits => _byType.Values;

    /// <summary>The regression over every layer, used for layer types the training data does not have.</summary>
    public LayerTypeFit Pooled { get; }

    /// <exception cref="ArgumentException">Counts differ, no layers, or a time is negative or not finite.</exception>
    public static LayerCostModel Fit(IReadOnlyList<LayerFeatures> layers, IReadOnlyList<double> seconds)
    {
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentNullException.ThrowIfNull(seconds);
        if (layers.Count == 0 || layers.Count != seconds.Count)
        {
            throw new ArgumentException($"{layers.Count} layers for {seconds.Count} measured times", nameof(seconds));
        }
        for (var i = 0; i < seconds.Count; i++)
        {
            if (!double.IsFinite(seconds[i]) || seconds[i] < 0)
            {
                throw new ArgumentException($"layer {layers[i].Index} time {seconds[i]} is not a finite non-negative number", nameof(seconds));
            }
        }
        var pooled = FitGroup("*", Enumerable.Range(0, layers.Count).ToList(), layers, seconds)
                     ?? throw new ArgumentException("no regression with non-negative rates fits these layers", nameof(seconds));
        var byType = new Dictionary<string, LayerTypeFit>(StringComparer.Ordinal);
        foreach (var group in Enumerable.Range(0, layers.Count).GroupBy(i => layers[i].Type))
        {
            if (FitGroup(group.Key, group.ToList(), layers, seconds) is { } fit)
            {
                byType[group.Key] = fit;
            }
        }
        return new LayerCostModel(byType, pooled);
    }

    public double Predict(LayerFeatures layer) => FitFor(layer.Type).Predict(layer);

    public double[] Predict(ModelGraph graph) => [.. LayerFeatureExtractor.Extract(graph).Select(Predict)];

    public LayerTypeFit FitFor(string type) => _byType.TryGetValue(type, out var fit) ? fit : Pooled;

    /// <summary>Errors of this fit on the layers it was fitted on, plus leave-one-out errors (each layer refitted without it).</summary>
    public static CostModelFitError Evaluate(IReadOnlyList<LayerFeatures> layers, IReadOnlyList<double> seconds)
    {
        var model = Fit(layers, seconds);
        var predicted = layers.Select(model.Predict).ToArray();
        var errors = predicted.Select((p, i) => Math.Abs(p - seconds[i]) / seconds[i]).Where(double.IsFinite).ToArray();
        var leaveOneOut = Enumerable.Range(0, layers.Count).Select(i =>
        {
            var keep = Enumerable.Range(0, layers.Count).Where(j => j != i).ToList();
            var without = Fit(keep.Select(j => layers[j]).ToList(), keep.Select(j => seconds[j]).ToList());
            return Math.Abs(without.Predict(layers[i]) - seconds[i]) / seconds[i];
        }).Where(double.IsFinite).ToArray();
        var measuredTotal = seconds.Sum();
        var predictedTotal = predicted.Sum();
        return new CostModelFitError(layers.Count, errors.Average(), Median(errors), leaveOneOut.Average(),
            (predictedTotal - measuredTotal) / measuredTotal, measuredTotal, predictedTotal);
    }

    internal static double Feature(LayerFeatures layer, string name) => name switch
    {
        Macs => layer.Macs,
        Bytes => layer.BytesMoved,
        Intercept => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown cost model feature"),
    };

    private static LayerTypeFit? FitGroup(string type, List<int> members, IReadOnlyList<LayerFeatures> layers, IReadOnlyList<double> seconds)
    {
        LayerTypeFit? best = null;
        var bestError = double.PositiveInfinity;
        foreach (var features in Candidates)
        {
            // Keep one spare observation so a fit is not an interpolation, except for a lone single-term fit.
            if (members.Count <= features.Length && !(features.Length == 1 && members.Count >= 1))
            {
                continue;
            }
            var rows = members.Select(i => features.Select(f => Feature(layers[i], f)).ToArray()).ToList();
            var coefficients = LeastSquares.Solve(rows, members.Select(i => seconds[i]).ToList());
            if (coefficients is null || !coefficients.All(c => c >= 0 && double.IsFinite(c)))
            {
                continue;
            }
            var fit = new LayerTypeFit(type, features, coefficients, members.Count);
            // Least squares weighs the slowest layers most; among the admissible fits keep the one with the smallest
            // relative error, which is what a split decision over many small layers feels.
            var error = members.Sum(i => Math.Abs(fit.Predict(layers[i]) - seconds[i]) / Math.Max(seconds[i], 1e-9));
            if (error < bestError)
            {
                (best, bestError) = (fit, error);
            }
        }
        return best;
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
