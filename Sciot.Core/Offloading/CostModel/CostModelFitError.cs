namespace Sciot.Core.Offloading.CostModel;

/// <summary>
/// How well a cost model reproduces measured layer times: per-layer absolute percentage errors (mean and median), the
/// same for each layer predicted by a model fitted without it (leave-one-out, what an unseen model's layer can expect),
/// and the relative error of the whole model's time.
/// </summary>
public sealed record CostModelFitError(
    int Layers,
    double MeanAbsolutePercentError,
    double MedianAbsolutePercentError,
    double LeaveOneOutMeanAbsolutePercentError,
    double TotalRelativeError,
    double MeasuredTotalSeconds,
    double PredictedTotalSeconds)
{
    public override string ToString() =>
        $"{Layers} layers: per-layer error mean {MeanAbsolutePercentError:P1}, median {MedianAbsolutePercentError:P1}, " +
        $"leave-one-out mean {LeaveOneOutMeanAbsolutePercentError:P1}; whole model {PredictedTotalSeconds:0.000} s predicted " +
        $"vs {MeasuredTotalSeconds:0.000} s measured ({TotalRelativeError:+0.0%;-0.0%})";
}
