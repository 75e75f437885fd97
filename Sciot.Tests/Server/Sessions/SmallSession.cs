using Sciot.Server.Sessions;

namespace Sciot.Tests.Server.Sessions;

/// <summary>What the session tests share: a three-layer model whose costs fix k, fast averages, a short variance window.</summary>
public static class SmallSession
{
    public static readonly DateTimeOffset T0 = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    public static readonly SessionSettings Settings = new(EmaAlpha: 0.5, VarianceWindow: 3, VarianceThreshold: 0.1, InitialBandwidthBytesPerSecond: 1e6,
        LocalInferenceProbability: 0);

    /// <summary>Edge 1 ms per layer; 100 bytes live after layer 0, 1 MB after layers 1 and 2: at 1 KB/s only k=0 is cheap.</summary>
    public static readonly ModelCosts Small = new("small", [0.001, 0.001, 0.001], [100, 1_000_000, 1_000_000]);

    /// <summary>device_01 on <see cref="Small"/>, registered at <see cref="T0"/>.</summary>
    public static ClientSession NewSession() => ClientSession.New("device_01", "small", 3, T0, Settings);
}
