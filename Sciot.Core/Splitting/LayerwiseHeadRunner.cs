using System.Diagnostics;
using Google.Protobuf;
using Sciot.Core.Tensors;

namespace Sciot.Core.Splitting;

/// <summary>
/// The device side as the protocol sees it: layers 0..k run one layer (one session) at a time so each layer's time
/// can be measured and reported, the way the reference firmware times each TFLite Micro layer.
/// </summary>
public sealed class LayerwiseHeadRunner(SplitModel model)
{
    public ModelGraph Graph => model.Graph;

    /// <summary>Creates every layer session now, so the first timed cycle does not pay for session creation.</summary>
    public void Warm()
    {
        for (var i = 0; i <= Graph.LastLayer; i++)
        {
            using var _ = AcquireSegment(i);
        }
    }

    public LayerwiseResult Run(int k, NamedTensor input)
    {
        Graph.EnsureCut(k);
        var live = model.Validate(Graph.InputNames, [input], "the model");
        var seconds = new double[k + 1];
        for (var i = 0; i <= k; i++)
        {
            using var lease = AcquireSegment(i);
            var start = Stopwatch.GetTimestamp();
            var outputs = lease.Part.Run(n => live[n]);
            seconds[i] = Stopwatch.GetElapsedTime(start).TotalSeconds;
            foreach (var output in outputs)
            {
                live[output.Name] = output;
            }
        }
        var cut = Graph.Cut(k).LiveNames.Select(n => live[n]).ToList();
        return new LayerwiseResult(k, cut, seconds);
    }

    private SessionCache.Lease AcquireSegment(int i) => model.Acquire($"layer:{i}", () => SubmodelExtractor.Segment(Graph, i).ToByteArray());
}

/// <summary>Live tensors of cut <see cref="Layer"/> and the measured time of each layer 0..k.</summary>
public sealed record LayerwiseResult(int Layer, IReadOnlyList<NamedTensor> LiveTensors, double[] LayerSeconds);
