namespace Sciot.Core.Offloading;

/// <summary>
/// Result of <see cref="OffloadingPlanner.Plan"/>: the device runs layers 0..<see cref="Layer"/> and the edge
/// the rest; <c>Layer == L-1</c> is device-only.
/// </summary>
/// <param name="CostPerLayer">Estimated end-to-end seconds for stopping after each layer, kept so callers can log or plot the trade-off.</param>
public sealed record OffloadingPlan(int Layer, double EstimatedSeconds, double[] CostPerLayer);
