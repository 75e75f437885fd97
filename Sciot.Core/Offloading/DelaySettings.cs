namespace Sciot.Core.Offloading;

/// <summary>
/// Emulated network delay, shaped for binding from .NET configuration (e.g. a <c>Delay</c> section with
/// <c>Kind: Gaussian, Mean: 0.05, StdDev: 0.01</c>). All values are seconds. Parameters a kind does not use are ignored:
/// <list type="bullet">
/// <item><see cref="DelayKind.None"/>: always 0.</item>
/// <item><see cref="DelayKind.Static"/>: always <see cref="Mean"/>.</item>
/// <item><see cref="DelayKind.Gaussian"/>: normal with <see cref="Mean"/> and <see cref="StdDev"/>.</item>
/// <item><see cref="DelayKind.Uniform"/>: uniform in [<see cref="Min"/>, <see cref="Max"/>].</item>
/// <item><see cref="DelayKind.Exponential"/>: exponential with <see cref="Mean"/>.</item>
/// </list>
/// </summary>
public sealed class DelaySettings
{
    public DelayKind Kind { get; set; } = DelayKind.None;

    public double Mean { get; set; }

    public double StdDev { get; set; }

    public double Min { get; set; }

    public double Max { get; set; }

    /// <exception cref="InvalidOperationException">A parameter the current <see cref="Kind"/> uses is out of range; the message names it.</exception>
    public void Validate()
    {
        switch (Kind)
        {
            case DelayKind.None:
                break;
            case DelayKind.Static:
            case DelayKind.Exponential:
                RequireNonNegative(Mean, nameof(Mean));
                break;
            case DelayKind.Gaussian:
                RequireNonNegative(Mean, nameof(Mean));
                RequireNonNegative(StdDev, nameof(StdDev));
                break;
            case DelayKind.Uniform:
                RequireNonNegative(Min, nameof(Min));
                RequireNonNegative(Max, nameof(Max));
                if (Max < Min)
                {
                    throw new InvalidOperationException($"Delay Max ({Max} s) must not be below Min ({Min} s).");
                }
                break;
            default:
                throw new InvalidOperationException($"Delay Kind {Kind} is not one of {string.Join(", ", Enum.GetNames<DelayKind>())}.");
        }
    }

    /// <summary>Draws one delay in seconds, never negative (a Gaussian tail below zero is clamped to 0).</summary>
    public double Sample(Random rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        // Settings are mutable and bound late, so each draw re-checks them instead of trusting an earlier Validate.
        Validate();
        var seconds = Kind switch
        {
            DelayKind.Static => Mean,
            DelayKind.Gaussian => Mean + StdDev * Gaussian.StandardNormal(rng),
            DelayKind.Uniform => Min + (Max - Min) * rng.NextDouble(),
            // 1 - U lies in (0, 1], so the logarithm is finite.
            DelayKind.Exponential => -Mean * Math.Log(1 - rng.NextDouble()),
            _ => 0,
        };
        return Math.Max(0, seconds);
    }

    private static void RequireNonNegative(double value, string name)
    {
        if (!double.IsFinite(value) || value < 0)
        {
            throw new InvalidOperationException($"Delay {name} must be a finite non-negative number of seconds, got {value}.");
        }
    }
}
