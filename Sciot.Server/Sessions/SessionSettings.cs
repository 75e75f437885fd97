namespace Sciot.Server.Sessions;

/// <summary>The offloading settings every client session is built with (from <c>Sciot:Offloading</c>); <see cref="QualityWindow"/>: results in the detection-quality window.</summary>
public sealed record SessionSettings(
    double EmaAlpha,
    int VarianceWindow,
    double VarianceThreshold,
    double InitialBandwidthBytesPerSecond,
    double LocalInferenceProbability,
    int QualityWindow = 50);
