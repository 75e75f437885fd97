using Sciot.Core.Models;
using Sciot.Core.Offloading;
using Sciot.Core.Protocol;
using Sciot.Core.Splitting;
using Sciot.Server.Sessions;

namespace Sciot.Server.Inference;

/// <summary>A model the server can serve: its package, split runners, live bytes per cut and the edge's per-layer times.</summary>
public sealed class ServedModel : IDisposable
{
    private readonly Ema[] _edgeSeconds;
    private readonly Lock _lock = new();

    public ServedModel(ModelPackage package, double emaAlpha)
    {
        Package = package;
        Split = new SplitModel(package.Graph);
        Layerwise = new LayerwiseHeadRunner(Split);
        LiveBytesAfter = Enumerable.Range(0, package.Graph.Layers.Count).Select(k => package.Graph.Cut(k).LiveBytes).ToArray();
        MaxResultBytes = Math.Max(LiveBytesAfter.Max(), package.Graph.Cut(-1).LiveBytes)
                         + (package.Graph.Layers.Count + 16L) * sizeof(float) + ResultPayloadV2.MaxHeaderBytes;
        _edgeSeconds = Enumerable.Range(0, package.Graph.Layers.Count).Select(_ => new Ema(emaAlpha)).ToArray();
    }

    public ModelPackage Package { get; }
    public SplitModel Split { get; }
    public LayerwiseHeadRunner Layerwise { get; }
    public string Name => Package.Name;
    public ModelManifest Manifest => Package.Manifest;
    public ModelGraph Graph => Package.Graph;
    public int LayerCount => Graph.Layers.Count;
    public long[] LiveBytesAfter { get; }

    /// <summary>
    /// The largest result payload this model can need: the biggest cut (the input, at k = -1, included) plus the
    /// per-layer times and a v2 header; anything longer cannot be a valid result and is refused before it is read.
    /// </summary>
    public long MaxResultBytes { get; }
    public bool IsCalibrated { get; private set; }

    public double[] EdgeSeconds()
    {
        lock (_lock)
        {
            return _edgeSeconds.Select(e => e.HasValue ? e.Value : 0).ToArray();
        }
    }

    /// <summary>What a decision needs from this model now: the edge's current per-layer times and the live bytes per cut.</summary>
    public ModelCosts Costs() => new(Name, EdgeSeconds(), LiveBytesAfter);

    /// <summary>Total edge compute of the whole model: the "measured cost" the latency preference compares.</summary>
    public double EdgeTotalSeconds => EdgeSeconds().Sum();

    public void AddCalibration(double[] layerSeconds)
    {
        lock (_lock)
        {
            for (var i = 0; i < layerSeconds.Length; i++)
            {
                _edgeSeconds[i].Update(layerSeconds[i]);
            }
            IsCalibrated = true;
        }
    }

    /// <summary>
    /// A fused tail run measures only the total of layers k+1..L-1; it scales the current per-layer profile so the
    /// layers keep their proportions and the sum follows reality.
    /// </summary>
    public void AddTailMeasurement(int k, double seconds)
    {
        lock (_lock)
        {
            var predicted = 0.0;
            for (var i = k + 1; i < _edgeSeconds.Length; i++)
            {
                predicted += _edgeSeconds[i].HasValue ? _edgeSeconds[i].Value : 0;
            }
            if (predicted <= 0 || k + 1 >= _edgeSeconds.Length)
            {
                return;
            }
            var scale = seconds / predicted;
            for (var i = k + 1; i < _edgeSeconds.Length; i++)
            {
                _edgeSeconds[i].Update(_edgeSeconds[i].Value * scale);
            }
        }
    }

    public void Dispose() => Split.Dispose();
}
