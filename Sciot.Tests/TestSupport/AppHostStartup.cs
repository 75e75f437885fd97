using System.Collections.Concurrent;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace Sciot.Tests.TestSupport;

/// <summary>
/// Starts a built AppHost within a bound. When it does not finish starting, the failure names every resource (and
/// replica) that is not running and healthy, with its state and its health checks' last words, instead of a bare
/// cancellation: a replica whose /health keeps answering 500 holds every <c>WaitFor</c> behind it.
/// </summary>
public static class AppHostStartup
{
    public static async Task StartAsync(DistributedApplication app, TimeSpan timeout)
    {
        var latest = new ConcurrentDictionary<string, CustomResourceSnapshot>();
        using var watching = new CancellationTokenSource();
        var watcher = Task.Run(async () =>
        {
            await foreach (var e in app.ResourceNotifications.WatchAsync(watching.Token))
            {
                latest[e.ResourceId] = e.Snapshot;
            }
        });
        using var bound = new CancellationTokenSource(timeout);
        try
        {
            await app.StartAsync(bound.Token).WaitAsync(bound.Token);
        }
        catch (OperationCanceledException) when (bound.IsCancellationRequested)
        {
            throw new TimeoutException($"the AppHost did not finish starting within {timeout}; not ready: {Describe(latest)}");
        }
        finally
        {
            await watching.CancelAsync();
            await watcher.ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    /// <summary>Stops and disposes the AppHost within a minute, so a hung resource fails the test run instead of stalling it.</summary>
    public static async Task StopAsync(DistributedApplication app)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await app.StopAsync(timeout.Token).WaitAsync(timeout.Token);
        await app.DisposeAsync();
    }

    private static string Describe(IReadOnlyDictionary<string, CustomResourceSnapshot> resources)
    {
        var waiting = resources
            .Where(r => !(r.Value.State?.Text == KnownResourceStates.Running && r.Value.HealthStatus is null or Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy)
                && r.Value.State?.Text != KnownResourceStates.Finished)
            .OrderBy(r => r.Key, StringComparer.Ordinal)
            .Select(r => $"{r.Key} ({r.Value.State?.Text ?? "no state"}, health {r.Value.HealthStatus?.ToString() ?? "unknown"}"
                + string.Concat(r.Value.HealthReports.Where(h => h.Status != Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy)
                    .Select(h => $"; {h.Name}: {h.Status} {h.Description} {FirstLine(h.ExceptionText)}".TrimEnd()))
                + ")")
            .ToList();
        return waiting.Count == 0 ? "every resource reported running (the start itself is slow)" : string.Join(", ", waiting);
    }

    private static string FirstLine(string? text) => text?.Split('\n', 2)[0].Trim() ?? "";
}
