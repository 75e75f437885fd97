using Microsoft.ML.OnnxRuntime;
using Sciot.Core.Tensors;

namespace Sciot.Core.Splitting;

/// <summary>
/// One ONNX Runtime session for a model part, run through the OrtValue API: inputs are pinned views over the callers'
/// float arrays (no copy in), outputs are copied once out of ORT-owned memory.
/// </summary>
public sealed class OrtPart : IDisposable
{
    private readonly InferenceSession _session;
    private readonly string[] _inputNames;
    private readonly long[][] _inputShapes;
    private readonly string[] _outputNames;
    private readonly int[][] _outputShapes;
    private readonly RunOptions _runOptions = new();

    public OrtPart(string key, byte[] onnx, SessionOptions options, Func<string, int[]> shapeOf)
    {
        Key = key;
        _session = new InferenceSession(onnx, options);
        _inputNames = _session.InputNames.ToArray();
        _inputShapes = _inputNames.Select(n => shapeOf(n).Select(d => (long)d).ToArray()).ToArray();
        _outputNames = _session.OutputNames.ToArray();
        _outputShapes = _outputNames.Select(shapeOf).ToArray();
        ModelBytes = onnx.Length;
    }

    public string Key { get; }
    public int ModelBytes { get; }
    public IReadOnlyList<string> InputNames => _inputNames;
    public IReadOnlyList<string> OutputNames => _outputNames;

    /// <summary>Runs with tensors looked up by name; the caller has validated names and shapes.</summary>
    public NamedTensor[] Run(Func<string, NamedTensor> input)
    {
        var values = new OrtValue[_inputNames.Length];
        try
        {
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = OrtValue.CreateTensorValueFromMemory(input(_inputNames[i]).Data, _inputShapes[i]);
            }
            using var results = _session.Run(_runOptions, _inputNames, values, _outputNames);
            var outputs = new NamedTensor[_outputNames.Length];
            var index = 0;
            foreach (var result in results)
            {
                outputs[index] = new NamedTensor(_outputNames[index], _outputShapes[index], result.GetTensorDataAsSpan<float>().ToArray());
                index++;
            }
            return outputs;
        }
        finally
        {
            foreach (var value in values)
            {
                value?.Dispose();
            }
        }
    }

    public void Dispose()
    {
        _session.Dispose();
        _runOptions.Dispose();
    }
}
