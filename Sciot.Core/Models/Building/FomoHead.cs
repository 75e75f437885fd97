namespace Sciot.Core.Models.Building;

/// <summary>The FOMO head: Conv2D(32, 1x1, relu) as one layer, Conv2D(classes, 1x1) logits, channel softmax.</summary>
internal static class FomoHead
{
    public static string Append(OnnxGraphBuilder b, string input, int classCount)
    {
        var x = b.Conv("head", input, 32, 1, 1, FomoMobileNetV2Builder.NoPad, bias: true, relu: true);
        x = b.Conv("logits", x, classCount, 1, 1, FomoMobileNetV2Builder.NoPad, bias: true);
        return b.ChannelSoftmax("softmax", x);
    }
}
