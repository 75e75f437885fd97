using Microsoft.Extensions.Options;
using Sciot.Client.Connectivity;
using Sciot.Client.Frames;
using Sciot.Client.Telemetry;
using Sciot.Core.Protocol;

namespace Sciot.Client.Device;

/// <summary>
/// Runs the configured number of virtual devices in this process (1 normally; <c>--devices N</c> for load), each with
/// its own ID and state. With one device a fixed ID is used as given; with several, the fixed ID gets a _n suffix.
/// </summary>
public sealed class DeviceWorker(
    IOptions<DeviceOptions> options,
    DeviceRunnerFactory factory,
    ILogger<DeviceWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        var ids = Enumerable.Range(1, o.Devices).Select(i => DeviceIds.Resolve(o.ClientId, o.Devices, i)).ToList();
        logger.LogInformation("Starting {Count} device(s): {Ids} against {Server}", ids.Count, string.Join(", ", ids.Take(10)), o.ServerUrl);
        var runners = ids.Select((id, i) => factory.Create(id, o.Seed + i)).ToList();
        try
        {
            await Task.WhenAll(runners.Select(r => RunGuardedAsync(r, stoppingToken)));
        }
        finally
        {
            runners.ForEach(r => r.Dispose());
        }
    }

    private async Task RunGuardedAsync(DeviceRunner runner, CancellationToken stoppingToken)
    {
        try
        {
            await runner.RunAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}

/// <summary>Client IDs as configured: null/empty/"null" means random per start, as the reference's <c>client_id: null</c>.</summary>
public static class DeviceIds
{
    public static string Resolve(string? configured, int devices, int index)
    {
        var fixedId = string.IsNullOrWhiteSpace(configured) || configured.Equals("null", StringComparison.OrdinalIgnoreCase) ? null : configured;
        var id = fixedId is null ? ClientIds.NewRandom() : devices == 1 ? fixedId : $"{fixedId}_{index}";
        return ClientIds.Validate(id);
    }
}

/// <summary>Builds device runners with the process's shared services (HTTP clients, model store, emulators).</summary>
public sealed class DeviceRunnerFactory(
    IOptions<DeviceOptions> options,
    ServerApi api,
    ModelStore store,
    DeviceEmulator emulator,
    ClientTelemetry telemetry,
    ILoggerFactory loggers)
{
    public DeviceRunner Create(string clientId, int seed)
    {
        var o = options.Value;
        IFrameSource frames = o.FrameSource == "synthetic" ? new SyntheticFrameSource(seed) : new FolderFrameSource(o.FrameSource);
        return new DeviceRunner(clientId, o, api, store, frames, emulator, telemetry, loggers.CreateLogger($"Sciot.Client.Device.{clientId}"));
    }
}
