namespace Sciot.Core.Protocol;

/// <summary>
/// Reorders a single (batch 1) image tensor between TFLite's NHWC, used by v1 payloads, and the ONNX graph's NCHW.
/// </summary>
public static class TensorLayout
{
    public static float[] NhwcToNchw(float[] data, int c, int h, int w)
    {
        CheckShape(data, c, h, w);
        var result = new float[data.Length];
        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                var source = (y * w + x) * c;
                for (var ch = 0; ch < c; ch++)
                {
                    result[(ch * h + y) * w + x] = data[source + ch];
                }
            }
        }
        return result;
    }

    public static float[] NchwToNhwc(float[] data, int c, int h, int w)
    {
        CheckShape(data, c, h, w);
        var result = new float[data.Length];
        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                var destination = (y * w + x) * c;
                for (var ch = 0; ch < c; ch++)
                {
                    result[destination + ch] = data[(ch * h + y) * w + x];
                }
            }
        }
        return result;
    }

    private static void CheckShape(float[] data, int c, int h, int w)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(c);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(h);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(w);
        if ((long)c * h * w != data.Length)
        {
            throw new ArgumentException(
                $"holds {data.Length} values but C*H*W = {c}*{h}*{w} = {(long)c * h * w}", nameof(data));
        }
    }
}
