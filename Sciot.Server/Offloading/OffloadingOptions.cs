using System.ComponentModel.DataAnnotations;
using Sciot.Server.Sessions;

namespace Sciot.Server.Offloading;

/// <summary><c>Sciot:Offloading</c>: how decisions are made and how statistics adapt.</summary>
public sealed class OffloadingOptions
{
    public const string Section = "Sciot:Offloading";

    /// <summary>Weight of a new sample in the device/edge time averages (the reference uses 0.2).</summary>
    [Range(0.001, 1.0)]
    public double EmaAlpha { get; set; } = 0.2;

    /// <summary>Chance that a decision is -1 (run every layer on the device) to refresh the device's layer times.</summary>
    [Range(0.0, 1.0)]
    public double LocalInferenceProbability { get; set; }

    [Range(2, 1000)]
    public int VarianceWindow { get; set; } = 10;

    /// <summary>Coefficient of variation above which a layer's device time is considered unstable.</summary>
    [Range(0.0, 10.0)]
    public double VarianceThreshold { get; set; } = 0.15;

    /// <summary>Bandwidth assumed for a client until it has measured one upload.</summary>
    [Range(1e3, 1e10)]
    public double InitialBandwidthBytesPerSecond { get; set; } = 1e6;

    [Range(1, 100)]
    public int CalibrationRuns { get; set; } = 5;

    [Range(0.0, 1.0)]
    public double DetectionThreshold { get; set; } = 0.5;

    /// <summary>Recent results whose reported detection quality <c>/api/clients/{id}</c> shows next to the running total.</summary>
    [Range(1, 10000)]
    public int QualityWindow { get; set; } = 50;

    public SessionSettings ToSessionSettings() =>
        new(EmaAlpha, VarianceWindow, VarianceThreshold, InitialBandwidthBytesPerSecond, LocalInferenceProbability, QualityWindow);
}
