using System.Buffers;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
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
                values[i] = Pin(input(_inputNames[i]), i);
            }
            using var results = RunOrdered(values);
            return Copy(results);
        }
        finally
        {
            foreach (var value in values)
            {
                value?.Dispose();
            }
        }
    }

    /// <summary>
    /// Runs on tensors in their arrival buffers: each buffer is pinned for the run and ORT reads it in place. Only a
    /// buffer ORT cannot read as floats (not 4-byte aligned, or a big-endian host) is decoded into an array first.
    /// </summary>
    public unsafe NamedTensor[] Run(Func<string, TensorBytes> input)
    {
        var values = new OrtValue[_inputNames.Length];
        var pins = new MemoryHandle[_inputNames.Length];
        try
        {
            for (var i = 0; i < values.Length; i++)
            {
                var tensor = input(_inputNames[i]);
                pins[i] = tensor.Bytes.Pin();
                var address = (nint)pins[i].Pointer;
                values[i] = BitConverter.IsLittleEndian && address % sizeof(float) == 0
                    ? OrtValue.CreateTensorValueWithData(OrtMemoryInfo.DefaultInstance, TensorElementType.Float, _inputShapes[i], address, tensor.ByteCount)
                    : Pin(tensor.ToNamedTensor(), i);
            }
            using var results = RunOrdered(values);
            return Copy(results);
        }
        finally
        {
            foreach (var value in values)
            {
                value?.Dispose();
            }
            foreach (var pin in pins)
            {
                pin.Dispose();
            }
        }
    }

    /// <summary>
    /// Runs on ORT-owned values and leaves the outputs in ORT memory, so a following part can consume them without
    /// a copy through managed arrays (large arrays would also land on the large-object heap).
    /// </summary>
    public IDisposableReadOnlyCollection<OrtValue> RunValues(Func<string, OrtValue> input) => RunOrdered(_inputNames.Select(input).ToArray());

    /// <summary>Runs on values given in <see cref="InputNames"/> order; outputs come in <see cref="OutputNames"/> order.</summary>
    public IDisposableReadOnlyCollection<OrtValue> RunOrdered(IReadOnlyCollection<OrtValue> inputs) =>
        _session.Run(_runOptions, _inputNames, inputs, _outputNames);

    public int OutputIndex(string name) => Array.IndexOf(_outputNames, name) is var i and >= 0
        ? i
        : throw new ArgumentException($"tensor '{name}' is not an output of {Key}; outputs: {string.Join(", ", _outputNames)}", nameof(name));

    public OrtValue Pin(NamedTensor tensor, int inputIndex) => OrtValue.CreateTensorValueFromMemory(tensor.Data, _inputShapes[inputIndex]);

    public NamedTensor[] Copy(IReadOnlyList<OrtValue> results)
    {
        var outputs = new NamedTensor[_outputNames.Length];
        for (var i = 0; i < outputs.Length; i++)
        {
            outputs[i] = new NamedTensor(_outputNames[i], _outputShapes[i], results[i].GetTensorDataAsSpan<float>().ToArray());
        }
        return outputs;
    }

    public void Dispose()
    {
        _session.Dispose();
        _runOptions.Dispose();
    }
}
