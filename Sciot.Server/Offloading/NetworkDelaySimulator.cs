using Microsoft.Extensions.Options;
using Sciot.Core.Offloading;

namespace Sciot.Server.Offloading;

/// <summary>Server-side network delay simulation as in the reference (static, gaussian, uniform, exponential), applied to result uploads.</summary>
public sealed class NetworkDelaySimulator(IOptions<DelaySettings> settings)
{
    public const string Section = "Sciot:NetworkDelay";
    private readonly Random _random = new();

    public Task DelayAsync(CancellationToken cancellationToken)
    {
        double seconds;
        lock (_random)
        {
            seconds = settings.Value.Sample(_random);
        }
        return seconds > 0 ? Task.Delay(TimeSpan.FromSeconds(seconds), cancellationToken) : Task.CompletedTask;
    }
}
