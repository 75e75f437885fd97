namespace Sciot.Core.Offloading;

/// <summary>Normal draws for the emulators: <see cref="Random"/> has no normal distribution of its own.</summary>
public static class Gaussian
{
    /// <summary>Box-Muller transform; 1 - U lies in (0, 1], so the logarithm is finite.</summary>
    public static double StandardNormal(Random rng)
    {
        var u1 = 1 - rng.NextDouble();
        var u2 = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>A multiplicative jitter factor 1 + cv·N(0,1), never below zero.</summary>
    public static double Factor(Random rng, double coefficientOfVariation) =>
        coefficientOfVariation <= 0 ? 1 : Math.Max(0, 1 + coefficientOfVariation * StandardNormal(rng));
}
