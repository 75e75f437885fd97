using Onnx;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Sciot.Training;

/// <summary>
/// The shipped ONNX graph executed node by node in TorchSharp: the same Conv (with the graph's explicit, possibly
/// asymmetric pads), BatchNormalization (its epsilon, separate from the conv), Clip(0,6), Pad, Add, Relu and Softmax,
/// with one trainable tensor per learned initializer under the initializer's name. What is trained is therefore the
/// shipped architecture itself, and exporting is copying each tensor back under its name.
/// </summary>
public sealed class TorchGraph : IDisposable
{
    private const double BatchNormMomentum = 0.1;

    private readonly GraphProto _graph;
    private readonly Dictionary<string, Tensor> _constants = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TorchSharp.Modules.Parameter> _parameters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Tensor> _buffers = new(StringComparer.Ordinal);

    public TorchGraph(ModelProto model)
    {
        _graph = model.Graph;
        var statistics = _graph.Node.Where(n => n.OpType == "BatchNormalization").SelectMany(n => n.Input.Skip(3)).ToHashSet();
        foreach (var init in _graph.Initializer)
        {
            var dims = init.Dims.ToArray();
            if (init.DataType == (int)TensorProto.Types.DataType.Int64)
            {
                _constants[init.Name] = torch.tensor(init.Int64Data.ToArray(), dims);
                continue;
            }
            var values = new float[init.RawData.Length / sizeof(float)];
            Buffer.BlockCopy(init.RawData.ToByteArray(), 0, values, 0, init.RawData.Length);
            var tensor = torch.tensor(values, dims);
            if (init.Name.StartsWith("relu6/", StringComparison.Ordinal))
            {
                _constants[init.Name] = tensor;
            }
            else if (statistics.Contains(init.Name))
            {
                _buffers[init.Name] = tensor;
            }
            else
            {
                _parameters[init.Name] = new TorchSharp.Modules.Parameter(tensor);
            }
        }
        OutputName = _graph.Output[0].Name;
        LogitsName = _graph.Node.Single(n => n.Output[0] == OutputName && n.OpType == "Softmax").Input[0];
    }

    public string OutputName { get; }

    /// <summary>The Softmax input: what the loss sees (cross-entropy applies its own log-softmax).</summary>
    public string LogitsName { get; }

    public IReadOnlyCollection<TorchSharp.Modules.Parameter> Parameters => _parameters.Values;

    /// <summary>Runs the graph on an NCHW batch; <paramref name="training"/> uses batch statistics and updates the running ones.</summary>
    public Tensor Forward(Tensor input, bool training, string? output = null)
    {
        output ??= OutputName;
        var values = new Dictionary<string, Tensor>(StringComparer.Ordinal) { [_graph.Input[0].Name] = input };
        foreach (var node in _graph.Node)
        {
            var x = values[node.Input[0]];
            values[node.Output[0]] = node.OpType switch
            {
                "Conv" => Conv(node, x, training),
                "BatchNormalization" => F.batch_norm(x, _buffers[node.Input[3]], _buffers[node.Input[4]],
                    _parameters[node.Input[1]], _parameters[node.Input[2]], training, BatchNormMomentum, Attribute(node, "epsilon").F),
                "Clip" => x.clamp(_constants[node.Input[1]].item<float>(), _constants[node.Input[2]].item<float>()),
                "Relu" => F.relu(x),
                "Pad" => Pad(x, _constants[node.Input[1]].data<long>().ToArray()),
                "Add" => x + values[node.Input[1]],
                "Softmax" => F.softmax(x, Attribute(node, "axis").I),
                _ => throw new NotSupportedException($"node {node.Name}: op {node.OpType} is not supported by the trainer"),
            };
            if (node.Output[0] == output)
            {
                return values[output];
            }
        }
        throw new InvalidOperationException($"tensor '{output}' is not computed by the graph");
    }

    /// <summary>Every learned initializer and BatchNormalization statistic, by initializer name.</summary>
    public Dictionary<string, float[]> Export()
    {
        var result = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var (name, p) in _parameters)
        {
            result[name] = p.detach().contiguous().data<float>().ToArray();
        }
        foreach (var (name, b) in _buffers)
        {
            result[name] = b.contiguous().data<float>().ToArray();
        }
        return result;
    }

    private Tensor Conv(NodeProto node, Tensor x, bool training)
    {
        var pads = Attribute(node, "pads").Ints.ToArray(); // top, left, bottom, right
        var strides = Attribute(node, "strides").Ints.ToArray();
        var group = Attribute(node, "group").I;
        var bias = node.Input.Count > 2 ? _parameters[node.Input[2]] : null;
        long[] padding = [0, 0];
        if (pads[0] == pads[2] && pads[1] == pads[3])
        {
            padding = [pads[0], pads[1]];
        }
        else
        {
            x = Pad(x, [0, 0, pads[0], pads[1], 0, 0, pads[2], pads[3]]);
        }
        var weight = _parameters[node.Input[1]];
        if (training && group > 1 && group == x.shape[1] && weight.shape[0] == group)
        {
            return Depthwise(padding[0] > 0 ? F.pad(x, [padding[1], padding[1], padding[0], padding[0]]) : x, weight, bias, strides[0]);
        }
        return F.conv2d(x, weight, bias, strides, padding, [1, 1], group);
    }

    /// <summary>
    /// Depthwise convolution as a sum of kernel-tap-weighted shifted views. Same result as the grouped Conv (up to
    /// float summation order), but libtorch's CPU backward of grouped convolutions is ~10x slower than its forward;
    /// this form's backward is element-wise. Inference (and the ONNX Runtime check) uses the grouped Conv itself.
    /// </summary>
    private static Tensor Depthwise(Tensor x, Tensor weight, Tensor? bias, long stride)
    {
        var (kh, kw) = (weight.shape[2], weight.shape[3]);
        var outH = (x.shape[2] - kh) / stride + 1;
        var outW = (x.shape[3] - kw) / stride + 1;
        Tensor? sum = null;
        for (var i = 0; i < kh; i++)
        {
            for (var j = 0; j < kw; j++)
            {
                var view = x.slice(2, i, i + stride * (outH - 1) + 1, stride).slice(3, j, j + stride * (outW - 1) + 1, stride);
                var tap = weight.slice(2, i, i + 1, 1).slice(3, j, j + 1, 1).reshape(1, -1, 1, 1);
                sum = sum is null ? view * tap : sum + view * tap;
            }
        }
        return bias is null ? sum! : sum! + bias.reshape(1, -1, 1, 1);
    }

    /// <summary>ONNX pads [n0, c0, top, left, n1, c1, bottom, right] as torch's (left, right, top, bottom).</summary>
    private static Tensor Pad(Tensor x, long[] onnxPads) =>
        F.pad(x, [onnxPads[3], onnxPads[7], onnxPads[2], onnxPads[6]]);

    private static AttributeProto Attribute(NodeProto node, string name) =>
        node.Attribute.FirstOrDefault(a => a.Name == name)
        ?? throw new InvalidOperationException($"node {node.Name} has no attribute {name}");

    public void Dispose()
    {
        foreach (var t in _constants.Values.Concat(_buffers.Values).Concat(_parameters.Values))
        {
            t.Dispose();
        }
    }
}
