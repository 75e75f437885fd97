namespace Sciot.Core.Models.Building;

/// <summary>Supplies the values of each learned initializer as the builder adds it (named as in the ONNX graph).</summary>
public interface IWeightSource
{
    float[] Get(string name, long[] dims, WeightRole role);
}
