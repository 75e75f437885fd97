using System.Diagnostics;
using System.Net;

namespace Sciot.Client.Connectivity;

/// <summary>Waits for a server started by this process to be ready: its <c>/health</c> answers 200 (edge calibration done).</summary>
public static class ServerHealth
{
    /// <param name="exited">Polled between probes: a server that died will never answer, so the wait ends at once.</param>
    /// <returns>True when healthy; false when <paramref name="exited"/> said so or <paramref name="timeout"/> passed.</returns>
    public static async Task<bool> WaitUntilHealthyAsync(Uri server, TimeSpan timeout, Func<bool> exited, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromSeconds(2) };
        var elapsed = Stopwatch.StartNew();
        while (elapsed.Elapsed < timeout && !exited())
        {
            try
            {
                using var health = await http.GetAsync(Extensions.HealthEndpointPath, cancellationToken);
                if (health.StatusCode == HttpStatusCode.OK)
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // A probe timed out while the server was busy starting.
            }
            await Task.Delay(100, cancellationToken);
        }
        return false;
    }
}
