using Sciot.Core.Offloading;

namespace Sciot.Client.Device;

/// <summary>
/// Turns the layer times measured on this PC into the times the emulated device reports: a per-layer table (esp32-s3,
/// measured on a real ESP32-S3 for fomo_96x96) or a slowdown factor, plus the reference's per-layer computation delay.
/// </summary>
public sealed class DeviceEmulator(DeviceEmulationOptions options, DeviceProfile? table, ILogger logger)
{
    private readonly Random _random = new();
    private bool _warnedMismatch;

    public const string Esp32S3 = "esp32-s3";

    public static DeviceEmulator Create(DeviceEmulationOptions options, string bundledModelsPath, ILogger logger)
    {
        DeviceProfile? table = null;
        if (options.Profile == Esp32S3)
        {
            table = DeviceProfile.FromLayerCsv(Path.Combine(bundledModelsPath, "fomo_96x96", "reference_layers.csv"));
        }
        return new DeviceEmulator(options, table, logger);
    }

    public bool RealTime => options.RealTime;

    public double[] Emulate(string modelName, double[] measured)
    {
        var reported = new double[measured.Length];
        var useTable = table?.LayerSeconds is { } times && times.Count >= measured.Length && modelName == "fomo_96x96";
        if (table is not null && !useTable && !_warnedMismatch)
        {
            _warnedMismatch = true;
            logger.LogWarning("Device profile {Profile} is a per-layer table of fomo_96x96; {Model} reports measured times x {Factor}",
                options.Profile, modelName, options.SlowdownFactor);
        }
        for (var i = 0; i < measured.Length; i++)
        {
            var seconds = useTable ? table!.EmulatedSeconds(i, measured[i]) : measured[i] * options.SlowdownFactor;
            lock (_random)
            {
                reported[i] = seconds + options.ComputeDelay.Sample(_random);
            }
        }
        return reported;
    }
}
