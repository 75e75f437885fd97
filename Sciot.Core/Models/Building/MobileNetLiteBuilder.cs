namespace Sciot.Core.Models.Building;

/// <summary>
/// mobilenet_lite: Keras MobileNetV1 alpha 0.25 down to 12x12 plus the same FOMO head. A pure chain (no residuals),
/// so every cut has exactly one live tensor; it is the latency-optimised alternative to fomo_96x96.
/// </summary>
public static class MobileNetLiteBuilder
{
    private static readonly (int Stride, int Filters)[] Blocks = [(1, 16), (2, 32), (1, 32), (2, 64), (1, 64)];

    public static ModelBlueprint Build(IReadOnlyList<string> classes, IWeightSource weights)
    {
        var b = new OnnxGraphBuilder("mobilenet_lite", "input", 3, 96, 96, weights);
        var x = FomoMobileNetV2Builder.ConvBnRelu(b, b.InputName, "conv1", "conv1_bn", "conv1_relu", 8, 3, 2,
            FomoMobileNetV2Builder.SameStride2);
        for (var i = 0; i < Blocks.Length; i++)
        {
            var (stride, filters) = Blocks[i];
            var id = i + 1;
            if (stride == 2)
            {
                x = b.ZeroPad($"conv_pad_{id}", x, 0, 1, 0, 1);
                x = b.Conv($"conv_dw_{id}", x, 0, 3, 2, FomoMobileNetV2Builder.NoPad, depthwise: true);
            }
            else
            {
                x = b.Conv($"conv_dw_{id}", x, 0, 3, 1, FomoMobileNetV2Builder.Same3x3, depthwise: true);
            }
            x = b.BatchNorm($"conv_dw_{id}_bn", x);
            x = b.Relu6($"conv_dw_{id}_relu", x);
            x = FomoMobileNetV2Builder.ConvBnRelu(b, x, $"conv_pw_{id}", $"conv_pw_{id}_bn", $"conv_pw_{id}_relu", filters, 1, 1,
                FomoMobileNetV2Builder.NoPad);
        }
        x = FomoHead.Append(b, x, classes.Count);
        return new ModelBlueprint(b.Build(x, "Sciot.Core model builder",
            "mobilenet_lite (MobileNetV1 alpha 0.25 to 12x12 + FOMO head)"), b.Layers, b.InputName, x);
    }
}
