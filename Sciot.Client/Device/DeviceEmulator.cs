using System.Collections.Concurrent;
using Sciot.Core.Models;
using Sciot.Core.Offloading;
using Sciot.Core.Offloading.CostModel;

namespace Sciot.Client.Device;

/// <summary>
/// Turns the layer times measured on this PC into the times the emulated device reports: <c>esp32-s3</c> predicts
/// every layer of any model with the cost model fitted on the reference's ESP32-S3 measurements, <c>none</c> and
/// <c>slowdown</c> keep the measured time; then the slowdown factor, the per-layer compute jitter (so EMAs and the
/// server's variance detector see real variation) and the reference's per-layer computation delay.
/// </summary>
public sealed class DeviceEmulator(DeviceEmulationOptions options, LayerCostModel? costModel)
{
    private readonly Random _random = new();
    private readonly ConcurrentDictionary<string, double[]> _predicted = new(StringComparer.Ordinal);

    public const string Esp32S3 = "esp32-s3";

    public static DeviceEmulator Create(DeviceEmulationOptions options, string bundledModelsPath) =>
        new(options, options.Profile == Esp32S3 ? Esp32S3CostModel.Fit(bundledModelsPath) : null);

    public bool RealTime => options.RealTime;

    /// <summary>The emulated device's time per layer before jitter and delay: predicted (esp32-s3) or null (measured times are used).</summary>
    public double[]? PredictedSeconds(ModelPackage model) =>
        costModel is null ? null : _predicted.GetOrAdd(model.Manifest.Version, _ => costModel.Predict(model.Graph));

    public double[] Emulate(ModelPackage model, double[] measured)
    {
        var predicted = PredictedSeconds(model);
        var reported = new double[measured.Length];
        for (var i = 0; i < measured.Length; i++)
        {
            var seconds = (predicted?[i] ?? measured[i]) * options.SlowdownFactor;
            lock (_random)
            {
                reported[i] = seconds * Gaussian.Factor(_random, options.ComputeJitter) + options.ComputeDelay.Sample(_random);
            }
        }
        return reported;
    }
}
