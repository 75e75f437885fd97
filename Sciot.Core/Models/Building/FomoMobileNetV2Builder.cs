namespace Sciot.Core.Models.Building;

/// <summary>
/// FOMO 96x96: Keras MobileNetV2 alpha 0.35 cut at block_6_expand_relu plus the FOMO head, layer for layer the
/// 59 layers of the reference SCIoT model (BatchNormalization and ReLU6 separate, Keras' asymmetric ZeroPadding2D),
/// so layer index k means what it means to the reference clients.
/// </summary>
public static class FomoMobileNetV2Builder
{
    public static ModelBlueprint Build(IReadOnlyList<string> classes, IWeightSource weights)
    {
        var b = new OnnxGraphBuilder("fomo_96x96", "input", 3, 96, 96, weights);
        var x = ConvBnRelu(b, b.InputName, "Conv1", "bn_Conv1", "Conv1_relu", 16, 3, 2, SameStride2);
        x = b.Conv("expanded_conv_depthwise", x, 0, 3, 1, Same3x3, depthwise: true);
        x = b.BatchNorm("expanded_conv_depthwise_BN", x);
        x = b.Relu6("expanded_conv_depthwise_relu", x);
        x = b.Conv("expanded_conv_project", x, 8, 1, 1, NoPad);
        x = b.BatchNorm("expanded_conv_project_BN", x);

        x = InvertedResidual(b, x, block: 1, expandTo: 48, stride: 2, outChannels: 8);
        x = InvertedResidual(b, x, block: 2, expandTo: 48, stride: 1, outChannels: 8);
        x = InvertedResidual(b, x, block: 3, expandTo: 48, stride: 2, outChannels: 16);
        x = InvertedResidual(b, x, block: 4, expandTo: 96, stride: 1, outChannels: 16);
        x = InvertedResidual(b, x, block: 5, expandTo: 96, stride: 1, outChannels: 16);
        x = b.Conv("block_6_expand", x, 96, 1, 1, NoPad);
        x = b.BatchNorm("block_6_expand_BN", x);
        x = b.Relu6("block_6_expand_relu", x);

        x = FomoHead.Append(b, x, classes.Count);
        return new ModelBlueprint(b.Build(x, "Sciot.Core model builder",
            "FOMO 96x96 (MobileNetV2 alpha 0.35 to block_6_expand_relu + FOMO head)"), b.Layers, b.InputName, x);
    }

    internal static readonly (int, int, int, int) NoPad = (0, 0, 0, 0);
    internal static readonly (int, int, int, int) Same3x3 = (1, 1, 1, 1);

    /// <summary>TF 'same' padding at stride 2 on an even size puts the single extra row/column at the bottom/right.</summary>
    internal static readonly (int, int, int, int) SameStride2 = (0, 0, 1, 1);

    internal static string ConvBnRelu(OnnxGraphBuilder b, string input, string conv, string bn, string relu, int filters, int kernel, int stride,
        (int, int, int, int) pads)
    {
        var x = b.Conv(conv, input, filters, kernel, stride, pads);
        x = b.BatchNorm(bn, x);
        return b.Relu6(relu, x);
    }

    private static string InvertedResidual(OnnxGraphBuilder b, string input, int block, int expandTo, int stride, int outChannels)
    {
        var p = $"block_{block}_";
        var x = ConvBnRelu(b, input, p + "expand", p + "expand_BN", p + "expand_relu", expandTo, 1, 1, NoPad);
        if (stride == 2)
        {
            x = b.ZeroPad(p + "pad", x, 0, 1, 0, 1);
            x = b.Conv(p + "depthwise", x, 0, 3, 2, NoPad, depthwise: true);
        }
        else
        {
            x = b.Conv(p + "depthwise", x, 0, 3, 1, Same3x3, depthwise: true);
        }
        x = b.BatchNorm(p + "depthwise_BN", x);
        x = b.Relu6(p + "depthwise_relu", x);
        x = b.Conv(p + "project", x, outChannels, 1, 1, NoPad);
        x = b.BatchNorm(p + "project_BN", x);
        var residual = stride == 1 && b.ShapeOf(input)[1] == outChannels;
        return residual ? b.Add(p + "add", input, x) : x;
    }
}
