using Sciot.Core.Tensors;

namespace Sciot.Core.Imaging;

/// <summary>Turns an interleaved RGB image into the planar NCHW float input the ONNX graph expects.</summary>
public static class InputTensorizer
{
    public const float DefaultScale = 1f / 255f;

    /// <summary>Returns a [1,3,H,W] tensor's data where each value is <c>pixel * scale + offset</c>.</summary>
    public static float[] ToNchw(RgbImage image, float scale = DefaultScale, float offset = 0f)
    {
        ArgumentNullException.ThrowIfNull(image);
        var plane = image.Width * image.Height;
        var src = image.Pixels;
        var dst = new float[plane * RgbImage.Channels];
        for (int p = 0, s = 0; p < plane; p++, s += RgbImage.Channels)
        {
            dst[p] = src[s] * scale + offset;
            dst[plane + p] = src[s + 1] * scale + offset;
            dst[2 * plane + p] = src[s + 2] * scale + offset;
        }
        return dst;
    }

    public static NamedTensor ToTensor(RgbImage image, string name, float scale = DefaultScale, float offset = 0f)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentException.ThrowIfNullOrEmpty(name);
        return new NamedTensor(name, [1, RgbImage.Channels, image.Height, image.Width], ToNchw(image, scale, offset));
    }
}
