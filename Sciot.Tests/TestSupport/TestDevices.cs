using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Sciot.Client.Connectivity;
using Sciot.Client.Device;
using Sciot.Client.Frames;
using Sciot.Client.Telemetry;

namespace Sciot.Tests.TestSupport;

/// <summary>Builds emulated devices for tests: fast registration settings, no real-time waiting, synthetic frames.</summary>
public static class TestDevices
{
    private static readonly IMeterFactory Meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();

    public static DeviceOptions FastOptions() => new()
    {
        CycleIntervalMs = 0,
        Registration = new RegistrationOptions { AttemptTimeoutSeconds = 2, MaxRetries = 2, BaseDelaySeconds = 0.01, ReconnectIntervalSeconds = 0.01 },
        Emulation = new DeviceEmulationOptions { RealTime = false },
    };

    public static DeviceRunner Create(string clientId, HttpClient http, DeviceOptions? options = null, string? cacheFolder = null, string? bundledFolder = null,
        IFrameSource? frames = null, DeviceModelCache? models = null, ILogger? logger = null)
    {
        options ??= FastOptions();
        var store = new ModelStore(bundledFolder ?? RepoPaths.Models, cacheFolder ?? Path.Combine(Path.GetTempPath(), "sciot-test-cache"), NullLogger.Instance);
        var emulator = DeviceEmulator.Create(options.Emulation, RepoPaths.Models);
        return new DeviceRunner(clientId, options, new ServerApi(http, http), store, frames ?? new SyntheticFrameSource(7), emulator,
            new ClientTelemetry(Meters), logger ?? NullLogger.Instance, models);
    }
}
