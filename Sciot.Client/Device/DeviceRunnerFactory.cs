using Microsoft.Extensions.Options;
using Sciot.Client.Connectivity;
using Sciot.Client.Frames;
using Sciot.Client.Telemetry;

namespace Sciot.Client.Device;

/// <summary>Builds device runners with the process's shared services (HTTP clients, model store, emulators, model runtimes).</summary>
public sealed class DeviceRunnerFactory(
    IOptions<DeviceOptions> options,
    ServerApi api,
    ModelStore store,
    DeviceEmulator emulator,
    ClientTelemetry telemetry,
    DeviceModelCache models,
    ILoggerFactory loggers)
{
    public DeviceRunner Create(string clientId, int seed)
    {
        var o = options.Value;
        IFrameSource frames = o.FrameSource == "synthetic" ? new SyntheticFrameSource(seed) : new FolderFrameSource(o.FrameSource);
        return new DeviceRunner(clientId, o, api, store, frames, emulator, telemetry, loggers.CreateLogger($"Sciot.Client.Device.{clientId}"), models);
    }
}
