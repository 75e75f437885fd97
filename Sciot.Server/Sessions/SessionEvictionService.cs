using Microsoft.Extensions.Options;

namespace Sciot.Server.Sessions;

/// <summary>Sweeps idle sessions out of memory every <see cref="SessionMemoryOptions.SweepIntervalSeconds"/>, off the request path.</summary>
public sealed class SessionEvictionService(InProcessClientSessions sessions, IOptions<SessionMemoryOptions> options, TimeProvider time,
    ILogger<SessionEvictionService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.IdleEviction is null)
        {
            return;
        }
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.SweepIntervalSeconds), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var evicted = sessions.EvictIdle();
                if (evicted > 0)
                {
                    logger.LogInformation("Evicted {Count} idle sessions from memory; {Remaining} remain", evicted, sessions.InMemoryCount);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
