namespace Sciot.Core.Imaging;

/// <summary>Memory layout of a FOMO heat map tensor with C class channels on a Gh x Gw grid.</summary>
public enum HeatMapLayout
{
    /// <summary>[1, C, Gh, Gw], the ONNX convention.</summary>
    Nchw,

    /// <summary>[1, Gh, Gw, C], what TensorFlow/TFLite FOMO models emit when the output is not transposed.</summary>
    Nhwc,
}
