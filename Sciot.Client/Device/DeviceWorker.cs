using Microsoft.Extensions.Options;

namespace Sciot.Client.Device;

/// <summary>
/// Runs the configured number of virtual devices in this process (1 normally; <c>--devices N</c> for load), each with
/// its own ID and state (<see cref="DeviceIdentities"/>).
/// </summary>
public sealed class DeviceWorker(
    IOptions<DeviceOptions> options,
    DeviceIdentities identities,
    DeviceRunnerFactory factory) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        var ids = identities.Ids;
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
