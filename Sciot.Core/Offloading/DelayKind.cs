namespace Sciot.Core.Offloading;

/// <summary>Distribution of an emulated network delay; see <see cref="DelaySettings"/> for the parameters each uses.</summary>
public enum DelayKind
{
    None,
    Static,
    Gaussian,
    Uniform,
    Exponential,
}
