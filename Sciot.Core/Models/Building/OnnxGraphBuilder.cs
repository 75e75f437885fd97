using Google.Protobuf;
using Onnx;

namespace Sciot.Core.Models.Building;

/// <summary>
/// Builds a typed NCHW float32 ONNX graph layer by layer, Keras style: every call adds one layer (one or more nodes)
/// and records its name, Keras type and output shape, so layer index k matches the Keras/TFLite numbering.
/// Shapes are inferred here and written to value_info, so every intermediate tensor is typed.
/// </summary>
public sealed class OnnxGraphBuilder
{
    public const int Opset = 17;
    public const long IrVersion = 8;
    private const int FloatType = 1;
    private const int Int64Type = 7;

    /// <summary>Keras' BatchNormalization default; the trainer reads it from the graph, so both sides agree.</summary>
    public const float BatchNormEpsilon = 1e-3f;

    private readonly GraphProto _graph = new();
    private readonly Dictionary<string, int[]> _shapes = new();
    private readonly List<LayerSpec> _layers = [];
    private readonly IWeightSource _weights;
    private string? _clipMin;
    private string? _clipMax;

    public OnnxGraphBuilder(string graphName, string inputName, int channels, int height, int width, IWeightSource weights)
    {
        _graph.Name = graphName;
        _weights = weights;
        InputName = inputName;
        var shape = new[] { 1, channels, height, width };
        _shapes[inputName] = shape;
        _graph.Input.Add(ValueInfo(inputName, shape));
    }

    public string InputName { get; }

    public IReadOnlyList<LayerSpec> Layers => _layers;

    public int[] ShapeOf(string tensor) => _shapes[tensor];

    /// <summary>Conv2D / DepthwiseConv2D with Keras padding expressed as explicit (top, left, bottom, right) pads.</summary>
    public string Conv(string layer, string input, int outChannels, int kernel, int stride, (int Top, int Left, int Bottom, int Right) pads,
        bool depthwise = false, bool bias = false, bool relu = false)
    {
        var inShape = _shapes[input];
        var inChannels = inShape[1];
        var group = depthwise ? inChannels : 1;
        if (depthwise)
        {
            outChannels = inChannels;
        }
        var w = Weight($"{layer}/kernel", [outChannels, inChannels / group, kernel, kernel], WeightRole.ConvKernel);
        var inputs = new List<string> { input, w };
        if (bias)
        {
            inputs.Add(Weight($"{layer}/bias", [outChannels], WeightRole.ConvBias));
        }
        var outH = (inShape[2] + pads.Top + pads.Bottom - kernel) / stride + 1;
        var outW = (inShape[3] + pads.Left + pads.Right - kernel) / stride + 1;
        var convOut = relu ? $"{layer}/conv" : layer;
        var node = Node("Conv", layer, inputs, convOut, [1, outChannels, outH, outW]);
        node.Attribute.Add(Ints("kernel_shape", kernel, kernel));
        node.Attribute.Add(Ints("strides", stride, stride));
        node.Attribute.Add(Ints("pads", pads.Top, pads.Left, pads.Bottom, pads.Right));
        node.Attribute.Add(Ints("dilations", 1, 1));
        node.Attribute.Add(new AttributeProto { Name = "group", Type = AttributeProto.Types.AttributeType.Int, I = group });
        var nodes = new List<string> { node.Name };
        if (relu)
        {
            nodes.Add(Node("Relu", $"{layer}/relu", [convOut], layer, [1, outChannels, outH, outW]).Name);
        }
        return AddLayer(layer, depthwise ? "DepthwiseConv2D" : "Conv2D", nodes, layer);
    }

    public string BatchNorm(string layer, string input)
    {
        var c = _shapes[input][1];
        var scale = Weight($"{layer}/gamma", [c], WeightRole.BatchNormScale);
        var shift = Weight($"{layer}/beta", [c], WeightRole.BatchNormShift);
        var mean = Weight($"{layer}/moving_mean", [c], WeightRole.BatchNormMean);
        var variance = Weight($"{layer}/moving_variance", [c], WeightRole.BatchNormVariance);
        var node = Node("BatchNormalization", layer, [input, scale, shift, mean, variance], layer, _shapes[input]);
        node.Attribute.Add(new AttributeProto { Name = "epsilon", Type = AttributeProto.Types.AttributeType.Float, F = BatchNormEpsilon });
        return AddLayer(layer, "BatchNormalization", [node.Name], layer);
    }

    /// <summary>Keras ReLU(max_value=6): Clip(0, 6), whose bounds are inputs since opset 11.</summary>
    public string Relu6(string layer, string input)
    {
        _clipMin ??= Initializer("relu6/min", [], [0f]);
        _clipMax ??= Initializer("relu6/max", [], [6f]);
        var node = Node("Clip", layer, [input, _clipMin, _clipMax], layer, _shapes[input]);
        return AddLayer(layer, "ReLU", [node.Name], layer);
    }

    /// <summary>Keras ZeroPadding2D(((top, bottom), (left, right))).</summary>
    public string ZeroPad(string layer, string input, int top, int bottom, int left, int right)
    {
        var s = _shapes[input];
        var pads = Int64Initializer($"{layer}/pads", [8], [0, 0, top, left, 0, 0, bottom, right]);
        var node = Node("Pad", layer, [input, pads], layer, [s[0], s[1], s[2] + top + bottom, s[3] + left + right]);
        node.Attribute.Add(new AttributeProto { Name = "mode", Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8("constant") });
        return AddLayer(layer, "ZeroPadding2D", [node.Name], layer);
    }

    public string Add(string layer, string a, string b)
    {
        var node = Node("Add", layer, [a, b], layer, _shapes[a]);
        return AddLayer(layer, "Add", [node.Name], layer);
    }

    /// <summary>Softmax over channels: the per-cell class distribution of a FOMO heat map.</summary>
    public string ChannelSoftmax(string layer, string input)
    {
        var node = Node("Softmax", layer, [input], layer, _shapes[input]);
        node.Attribute.Add(new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = 1 });
        return AddLayer(layer, "Softmax", [node.Name], layer);
    }

    public ModelProto Build(string output, string producer, string docString)
    {
        _graph.Output.Add(ValueInfo(output, _shapes[output]));
        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = producer,
            ProducerVersion = "1",
            DocString = docString,
            Graph = _graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        return model;
    }

    private string AddLayer(string name, string type, IReadOnlyList<string> nodes, string output)
    {
        var shape = _shapes[output];
        _layers.Add(new LayerSpec(_layers.Count, name, type, nodes, output, shape, (long)NamedTensorBytes(shape)));
        return output;
    }

    private static long NamedTensorBytes(int[] shape) => Tensors.NamedTensor.ElementCountOf(shape) * (long)sizeof(float);

    private NodeProto Node(string opType, string name, IReadOnlyList<string> inputs, string output, int[] outputShape)
    {
        var node = new NodeProto { OpType = opType, Name = name };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        _graph.Node.Add(node);
        _shapes[output] = outputShape;
        _graph.ValueInfo.Add(ValueInfo(output, outputShape));
        return node;
    }

    private string Weight(string name, long[] dims, WeightRole role)
    {
        var values = _weights.Get(name, dims, role);
        var expected = dims.Aggregate(1L, (a, d) => a * d);
        if (values.Length != expected)
        {
            throw new InvalidOperationException(
                $"weight '{name}' needs {expected} values for shape [{string.Join(", ", dims)}], the weight source gave {values.Length}");
        }
        return Initializer(name, dims, values);
    }

    private string Initializer(string name, long[] dims, float[] values)
    {
        var tensor = new TensorProto { Name = name, DataType = FloatType };
        tensor.Dims.AddRange(dims);
        var bytes = new byte[values.Length * sizeof(float)];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        tensor.RawData = ByteString.CopyFrom(bytes);
        _graph.Initializer.Add(tensor);
        return name;
    }

    private string Int64Initializer(string name, long[] dims, long[] values)
    {
        var tensor = new TensorProto { Name = name, DataType = Int64Type };
        tensor.Dims.AddRange(dims);
        tensor.Int64Data.AddRange(values);
        _graph.Initializer.Add(tensor);
        return name;
    }

    private static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    internal static ValueInfoProto ValueInfo(string name, IReadOnlyList<int> shape)
    {
        var tensorType = new TypeProto.Types.Tensor { ElemType = FloatType, Shape = new TensorShapeProto() };
        foreach (var d in shape)
        {
            tensorType.Shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        }
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tensorType } };
    }
}
