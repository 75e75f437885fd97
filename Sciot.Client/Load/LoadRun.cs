using System.Diagnostics;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Sciot.Client.Commands;
using Sciot.Client.Connectivity;
using Sciot.Client.Device;
using Sciot.Client.Scenarios;
using Sciot.Core.Protocol.Json;

namespace Sciot.Client.Load;

/// <summary>
/// Many virtual devices of this process (one shared runtime per model, a circuit breaker each) against one server on
/// loopback for a fixed time, every device at its forced cut: requests per endpoint with p50/p99 and errors, cycles
/// per device, the server's resident memory and CPU time from <c>/proc</c>. Starts its own server unless given one.
/// </summary>
public static class LoadRun
{
    private static readonly TimeSpan ServerStartTimeout = TimeSpan.FromMinutes(2);

    public static async Task<LoadReport> RunAsync(LoadSettings settings, TextWriter progress, CancellationToken cancellationToken)
    {
        ServerProcess? started = null;
        try
        {
            Uri url;
            string? key;
            int? pid;
            if (settings.Server is { } given)
            {
                (url, key) = (given, settings.OperatorKey);
                pid = await ProcessIdOfAsync(given, cancellationToken);
            }
            else
            {
                key = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
                var dll = await ServerProcess.LocateOrBuildAsync(progress, cancellationToken);
                var log = Path.Combine(Path.GetTempPath(), $"sciot-load-server-{Guid.NewGuid():N}.log");
                progress.WriteLine($"load: starting the server ({dll}), log {log}");
                started = await ServerProcess.StartAsync(dll, new Dictionary<string, string> { ["Sciot:Server:OperatorApiKey"] = key }, log,
                    ServerStartTimeout, cancellationToken);
                (url, pid) = (started.Url, started.ProcessId);
            }
            return await DriveAsync(settings, url, key, pid, progress, cancellationToken);
        }
        finally
        {
            if (started is not null)
            {
                await started.DisposeAsync();
            }
        }
    }

    private static async Task<LoadReport> DriveAsync(LoadSettings settings, Uri url, string? key, int? pid, TextWriter progress, CancellationToken cancellationToken)
    {
        var ids = Enumerable.Range(0, settings.Devices).Select(settings.DeviceId).ToList();
        await ForceSplitsAsync(settings, url, key, ids, progress, cancellationToken);

        var recorder = new EndpointRecorder();
        using var host = ClientProgram.CreateHost(
        [
            $"--Sciot:Device:ServerUrl={url}",
            $"--Sciot:Device:Devices={settings.Devices}",
            $"--Sciot:Device:CycleIntervalMs={settings.CycleIntervalMs}",
            // Devices compute their head as fast as this machine can: the run loads the server, not an emulated clock.
            "--Sciot:Device:Emulation:RealTime=false",
            "--Logging:LogLevel:Default=Warning",
        ], services =>
        {
            services.AddHttpClient(ServerHttpClients.Server).AddHttpMessageHandler(recorder.CreateHandler);
            services.AddHttpClient(ServerHttpClients.Registration).AddHttpMessageHandler(recorder.CreateHandler);
        });
        var factory = host.Services.GetRequiredService<DeviceRunnerFactory>();
        var runners = ids.Select((id, i) => factory.Create(id, i + 1)).ToList();
        try
        {
            progress.WriteLine($"load: {settings.Devices} devices for {settings.Duration.TotalSeconds:0} s against {url}");
            var before = pid is { } p0 ? ProcessUsage.Read(p0) : null;
            var clock = Stopwatch.StartNew();
            // At the end each device finishes the cycle in flight, so every result sent is answered and counted.
            using var stop = new CancellationTokenSource(settings.Duration);
            await Task.WhenAll(runners.Select(r => r.RunAsync(cancellationToken, stop.Token)));
            var seconds = clock.Elapsed.TotalSeconds;
            var after = pid is { } p1 ? ProcessUsage.Read(p1) : null;
            cancellationToken.ThrowIfCancellationRequested();

            var endpoints = recorder.Series.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e =>
            {
                var ms = e.Value.Milliseconds();
                var timing = ms.Length == 0 ? default : TimingSummary.Of(ms);
                return new EndpointFigures(e.Key, e.Value.Requests, timing.MedianMs, timing.P99Ms, e.Value.RateLimited, e.Value.Errors);
            }).ToList();
            var devices = runners.Select((r, i) => new DeviceFigures(r.ClientId, settings.SplitOf(i), r.Cycles, r.LocalOnlyCycles, r.FailedCycles,
                r.AcknowledgedResults)).ToList();
            return new LoadReport(settings, seconds, endpoints, devices, before, after);
        }
        finally
        {
            runners.ForEach(r => r.Dispose());
        }
    }

    /// <summary>Registers every device ID first and forces its cut, so the mix of cuts is the one asked for from the first cycle.</summary>
    private static async Task ForceSplitsAsync(LoadSettings settings, Uri url, string? key, List<string> ids, TextWriter progress, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(30) };
        if (key is not null)
        {
            http.DefaultRequestHeaders.Add("X-Api-Key", key);
        }
        progress.WriteLine($"load: registering {ids.Count} devices and forcing cuts {string.Join(",", settings.Splits)}");
        for (var i = 0; i < ids.Count; i++)
        {
            using (var registered = await http.PostAsJsonAsync("/api/registration", new RegistrationRequest { ClientId = ids[i] }, SciotJson.Options, cancellationToken))
            {
                await EnsureAsync(registered, "registration", cancellationToken);
            }
            using var forced = await http.PostAsJsonAsync($"/api/operator/clients/{ids[i]}/force_layer", new { layer = settings.SplitOf(i) }, cancellationToken);
            await EnsureAsync(forced, "force_layer (pass --operator-key for a server with an operator key)", cancellationToken);
        }
    }

    private static async Task EnsureAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{what}: HTTP {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }

    /// <summary>The process id a server reports on <c>/api/cluster</c>, if it runs on this machine; null otherwise.</summary>
    private static async Task<int?> ProcessIdOfAsync(Uri server, CancellationToken cancellationToken)
    {
        if (!server.IsLoopback)
        {
            return null;
        }
        using var http = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromSeconds(10) };
        var cluster = await http.GetFromJsonAsync<JsonElement>("/api/cluster", cancellationToken);
        return cluster.TryGetProperty("process_id", out var id) ? id.GetInt32() : null;
    }
}
