namespace Sciot.Client.Load;

/// <summary>What one load run does: how many virtual devices, for how long, at which forced cuts, against which server.</summary>
/// <param name="Server">A running server; null = start one on loopback for the run (built Sciot.Server next to this checkout).</param>
/// <param name="OperatorKey">The running server's operator key (needed to force the cuts); ignored when the run starts its own.</param>
/// <param name="Splits">Device i runs at cut <c>Splits[i % Splits.Count]</c> (forced through the operator API); -1 = all layers on the device.</param>
public sealed record LoadSettings(int Devices, TimeSpan Duration, int CycleIntervalMs, IReadOnlyList<int> Splits, Uri? Server = null, string? OperatorKey = null)
{
    public static readonly IReadOnlyList<int> MixedSplits = [-1, 5, 11, 20, 35, 57];

    public string DeviceId(int index) => $"load_{index + 1:D4}";

    public int SplitOf(int index) => Splits[index % Splits.Count];
}
