using System.Diagnostics;
using Sciot.Core.Imaging;
using Sciot.Core.Models;
using Sciot.Core.Splitting;
using Sciot.Core.Tensors;

namespace Sciot.Client.Commands;

/// <summary>
/// Measures one model in this process with the runtime's defaults (one intra-op thread): the full model, head+tail at
/// every cut, the per-layer device head, and what sessions cost to create and to keep.
/// </summary>
/// <remarks>
/// Memory is measured in a separate step, <see cref="MeasureMemory"/>, that the caller runs for every model before any
/// timing, and the sessions it creates stay alive until <see cref="Dispose"/>: native memory freed by sessions
/// disposed earlier would be reused by the measured ones and hide their cost.
/// </remarks>
public sealed class ModelBenchmark : IDisposable
{
    private const int InputSeed = 42;

    private readonly ModelPackage _package;
    private readonly BenchOptions _options;
    private readonly TextWriter _progress;
    private readonly SplitModel _model;
    private readonly SplitModel _memoryModel;
    private readonly IReadOnlyList<NamedTensor> _inputs;
    private IReadOnlyList<IReadOnlyList<NamedTensor>>? _liveByCut;

    public ModelBenchmark(ModelPackage package, BenchOptions options, TextWriter progress)
    {
        _package = package;
        _options = options;
        _progress = progress;
        _model = new SplitModel(package.Graph);
        _memoryModel = new SplitModel(package.Graph);
        _inputs = [SceneInput(package.Manifest)];
    }

    private ModelGraph Graph => _package.Graph;

    /// <summary>Live tensors of cuts 0..L-2 (the cuts with a tail), from the head sessions the sweep uses anyway.</summary>
    private IReadOnlyList<IReadOnlyList<NamedTensor>> LiveByCut =>
        _liveByCut ??= Enumerable.Range(0, Graph.LastLayer).Select(k => _model.RunHead(k, _inputs)).ToList();

    public SessionMemoryResult MeasureMemory()
    {
        Progress("memory per cached session");
        // The first session of the process also sets up ONNX Runtime itself, which is no session's memory.
        _model.RunFull(_inputs);
        return SessionMemoryProbe.Measure(_memoryModel, LiveByCut);
    }

    public ModelBenchResult Run(SessionMemoryResult memory)
    {
        var started = Stopwatch.GetTimestamp();
        var last = Graph.LastLayer;

        Progress("full model");
        var full = TimingSummary.Of(BenchTimer.Series(() => _model.RunFull(_inputs), _options.Warmup, _options.Runs));

        var cuts = new List<FusedCutResult>();
        for (var k = 0; k <= last; k++)
        {
            if (k % 10 == 0)
            {
                Progress($"fused head+tail, cuts {k}..{Math.Min(k + 9, last)} of 0..{last}");
            }
            var cut = k;
            var series = BenchTimer.Interleaved(_options.Warmup, _options.Runs,
                () => _model.RunFull(_inputs),
                () => _model.RunSplit(cut, _inputs),
                () => _model.RunTail(cut, _model.RunHead(cut, _inputs)));
            var live = Graph.Cut(k);
            cuts.Add(new FusedCutResult(k, Graph.Layers[k].Name, live.LiveTensors.Count, live.LiveBytes,
                TimingSummary.Of(series[0]), TimingSummary.Of(series[1]), TimingSummary.Of(series[2])));
        }

        Progress($"layer-by-layer head, k={last}");
        var runner = new LayerwiseHeadRunner(_model);
        runner.Warm();
        var layerwiseSeries = BenchTimer.Interleaved(_options.Warmup, _options.Runs,
            () => _model.RunFull(_inputs),
            () => runner.Run(last, _inputs[0]));
        var layerwise = new LayerwiseComparison(TimingSummary.Of(layerwiseSeries[0]), TimingSummary.Of(layerwiseSeries[1]));

        Progress("session creation");
        var creation = new SessionCreationProbe(Graph, _inputs, LiveByCut, _options.CreationRepeats).Measure();

        return new ModelBenchResult(_package.Name, Graph.Layers.Count, full, cuts, layerwise, creation, memory, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>A seeded synthetic scene rather than noise, so activations (ReLU sparsity, softmax) look like real frames.</summary>
    public static NamedTensor SceneInput(ModelManifest manifest)
    {
        var input = manifest.Input;
        var scene = new SyntheticSceneGenerator(input.Width, input.Height, manifest.Classes, InputSeed).Next();
        return InputTensorizer.ToTensor(scene.Image, input.Name, input.Scale, input.Offset);
    }

    private void Progress(string phase) => _progress.WriteLine($"[{_package.Name}] {phase}");

    public void Dispose()
    {
        _memoryModel.Dispose();
        _model.Dispose();
    }
}
