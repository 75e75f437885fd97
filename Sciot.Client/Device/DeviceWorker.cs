using Microsoft.Extensions.Options;

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
