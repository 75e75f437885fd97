namespace Sciot.Core.Models.Building;

/// <summary>
/// The untrained starting point of training: He-normal convolution kernels from a seed (<see cref="Random"/> with a
/// seed is stable across .NET versions), zero biases and identity BatchNormalization, as Keras initialises them.
/// </summary>
public sealed class SeededWeights(int seed) : IWeightSource
{
    private readonly Random _random = new(seed);

    public float[] Get(string name, long[] dims, WeightRole role)
    {
        var count = (int)dims.Aggregate(1L, (a, d) => a * d);
        return role switch
        {
            WeightRole.ConvKernel => HeNormal(count, (int)(dims[1] * dims[2] * dims[3])),
            WeightRole.BatchNormScale or WeightRole.BatchNormVariance => Enumerable.Repeat(1f, count).ToArray(),
            _ => new float[count],
        };
    }

    private float[] HeNormal(int count, int fanIn)
    {
        var std = Math.Sqrt(2.0 / fanIn);
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            var u1 = 1.0 - _random.NextDouble();
            var u2 = _random.NextDouble();
            values[i] = (float)(std * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2));
        }
        return values;
    }
}
