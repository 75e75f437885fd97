namespace Sciot.Core.Models.Building;

/// <summary>
/// Deterministic weight source. <see cref="Random"/> with an explicit seed uses a stable algorithm across .NET versions,
/// which is what makes the shipped model files byte-identical when regenerated.
/// </summary>
public sealed class SeededWeights(int seed)
{
    private readonly Random _random = new(seed);

    /// <summary>He-normal initialisation keeps activations in a sane range through ~60 untrained layers.</summary>
    public float[] HeNormal(int count, int fanIn)
    {
        var std = Math.Sqrt(2.0 / fanIn);
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = (float)(std * StandardNormal());
        }
        return values;
    }

    public float[] Uniform(int count, double min, double max)
    {
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = (float)(min + (max - min) * _random.NextDouble());
        }
        return values;
    }

    private double StandardNormal()
    {
        var u1 = 1.0 - _random.NextDouble();
        var u2 = _random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
