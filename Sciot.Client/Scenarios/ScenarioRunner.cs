using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Sciot.Client.Connectivity;
using Sciot.Client.Device;
using Sciot.Client.Frames;
using Sciot.Client.Telemetry;
using Sciot.Core.Charts;
using Sciot.Core.Imaging;
using Sciot.Core.Offloading;
using Sciot.Core.Offloading.CostModel;
using Sciot.Core.Protocol.Json;

namespace Sciot.Client.Scenarios;

/// <summary>
/// Runs one scenario: a server (started for it, or given), the scenario's clients as real <see cref="DeviceRunner"/>s
/// on emulated clocks (device and link time reported, not waited, so an ESP32-S3 minute takes seconds), events applied
/// when a client's clock passes them; writes the CSV, the scenario as run and its charts.
/// </summary>
public sealed class ScenarioRunner(string modelsFolder, LayerCostModel esp32S3, TextWriter progress)
{
    public const int ChartWidth = 900;
    public const int ChartHeight = 520;

    private static readonly IServiceProvider Metrics = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public async Task<ScenarioResult> RunAsync(Scenario scenario, Uri server, string outFolder, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(outFolder);
        await File.WriteAllTextAsync(Path.Combine(outFolder, "scenario.json"), JsonSerializer.Serialize(scenario, Scenario.Json), cancellationToken);
        using var http = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromSeconds(30) };
        var api = new ServerApi(http, http);
        var store = new ModelStore(modelsFolder, Path.Combine(Path.GetTempPath(), "sciot-scenario-cache"), NullLogger.Instance);
        using var telemetry = new ClientTelemetry(Metrics.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        // A suffix per run: assignment is sticky, so a second run against the same server must not inherit the first's clients.
        var run = Guid.NewGuid().ToString("N")[..4];
        var devices = new List<Device>();
        for (var g = 0; g < scenario.Clients.Count; g++)
        {
            for (var i = 0; i < scenario.Clients[g].Count; i++)
            {
                devices.Add(CreateDevice(scenario, g, $"{scenario.Name}-{run}-{devices.Count + 1}", devices.Count + 1, api, store, telemetry));
            }
        }

        var rows = new List<InferenceRow>();
        var wall = Stopwatch.StartNew();
        using var display = new Timer(_ => Report(scenario, devices, rows, wall), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        CycleReport? framed = null;
        try
        {
            await Task.WhenAll(devices.Select(async d =>
            {
                await d.Runner.StartAsync(cancellationToken);
                while (d.Clock.Seconds < scenario.DurationSeconds && !cancellationToken.IsCancellationRequested)
                {
                    ApplyDueEvents(scenario, d);
                    var report = await d.Runner.RunCycleAsync(cancellationToken);
                    d.Clock.Advance((report.Timing?.EndToEndSeconds ?? 0) + scenario.CycleIntervalMs / 1000.0);
                    lock (rows)
                    {
                        rows.Add(Row(d, report));
                        if (report is { Split: true, Frame: not null, ServerPrediction: not null })
                        {
                            framed = report;
                        }
                    }
                }
            }));
        }
        finally
        {
            devices.ForEach(d => d.Runner.Dispose());
        }
        Report(scenario, devices, rows, wall);
        progress.WriteLine();

        var ordered = rows.OrderBy(r => r.TimeSeconds).ThenBy(r => r.ClientId, StringComparer.Ordinal).ToList();
        await File.WriteAllLinesAsync(Path.Combine(outFolder, $"{scenario.Name}.csv"), [InferenceRow.Header, .. ordered.Select(r => r.ToCsv())], cancellationToken);
        var result = new ScenarioResult(scenario, ordered, wall.Elapsed.TotalSeconds);
        await WriteChartsAsync(result, devices[0].Runner.ClientId, framed, http, outFolder, cancellationToken);
        return result;
    }

    private Device CreateDevice(Scenario scenario, int group, string clientId, int seed, ServerApi api, ModelStore store, ClientTelemetry telemetry)
    {
        var g = scenario.Clients[group];
        var link = LinkProfiles.Load(g.Link);
        link.Schedule.ForEach(step => step.AtSeconds *= g.TimeScale);
        link.ScheduleRepeatSeconds *= g.TimeScale;
        if (g.Latency is not null)
        {
            link.Latency = g.Latency;
        }
        if (g.BandwidthBytesPerSecond is { } bandwidth)
        {
            // As an explicit device setting does: the profile's schedule steps would set their own bandwidth over it.
            link.Schedule.Clear();
            link.BandwidthBytesPerSecond = bandwidth;
        }
        var options = new DeviceOptions
        {
            ClientId = clientId,
            CycleIntervalMs = 0,
            BundledModelsPath = modelsFolder,
            Registration = new RegistrationOptions { AttemptTimeoutSeconds = 10, MaxRetries = 3, BaseDelaySeconds = 0.2, ReconnectIntervalSeconds = 1 },
            Emulation = new DeviceEmulationOptions
            {
                Profile = g.Device,
                SlowdownFactor = g.SlowdownFactor,
                ComputeJitter = g.ComputeJitter,
                ComputeDelay = g.ComputeDelay ?? new DelaySettings(),
                RealTime = false,
            },
            Link = link,
        };
        var clock = new EmulatedClock();
        var emulator = new DeviceEmulator(options.Emulation, g.Device == DeviceEmulator.Esp32S3 ? esp32S3 : null);
        var runner = new DeviceRunner(clientId, options, api, store, new SyntheticFrameSource(seed), emulator, telemetry, NullLogger.Instance, clock: clock);
        return new Device(runner, options, clock, group);
    }

    private static void ApplyDueEvents(Scenario scenario, Device device)
    {
        for (var i = device.EventsApplied; i < scenario.Events.Count; i++)
        {
            var e = scenario.Events[i];
            if (e.AtSeconds > device.Clock.Seconds)
            {
                return;
            }
            device.EventsApplied = i + 1;
            if (e.Group is { } g && g != device.Group)
            {
                continue;
            }
            if (e.BandwidthBytesPerSecond is { } bandwidth)
            {
                device.Options.Link.Schedule.Clear();
                device.Options.Link.BandwidthBytesPerSecond = bandwidth;
            }
            if (e.ComputeJitter is { } jitter)
            {
                device.Options.Emulation.ComputeJitter = jitter;
            }
        }
    }

    private static InferenceRow Row(Device device, CycleReport report)
    {
        var t = report.Timing ?? new CycleTiming(report.ReportedLayerSeconds.Sum(), 0, 0, report.ReportedLayerSeconds.Sum(), 0, 0);
        var detections = report.ServerPrediction?.Detections.Count ?? report.LocalDetections?.Count ?? 0;
                // -1: the device ran every layer (a refresh ordered by the server, or local-only mode).
        return new InferenceRow(device.Clock.Seconds, device.Runner.ClientId, report.ModelName, report.Decision < 0 ? -1 : report.LastLayerRun,
            t.DeviceSeconds, t.TransferSeconds, t.EdgeSeconds, t.EndToEndSeconds, t.PayloadBytes, detections,
            report.Accuracy, t.LinkBandwidthBytesPerSecond);
    }

    private void Report(Scenario scenario, List<Device> devices, List<InferenceRow> rows, Stopwatch wall)
    {
        var emulated = devices.Count == 0 ? 0 : Math.Min(devices.Min(d => d.Clock.Seconds), scenario.DurationSeconds);
        int count;
        lock (rows)
        {
            count = rows.Count;
        }
        var line = $"{scenario.Name}: {emulated,6:0.0} / {scenario.DurationSeconds:0.0} s emulated ({scenario.DurationSeconds - emulated:0.0} s left), " +
                   $"{count} inferences, {devices.Count} client(s), wall {wall.Elapsed.TotalSeconds:0.0} s";
        lock (progress)
        {
            if (Console.IsOutputRedirected || progress != Console.Out)
            {
                progress.WriteLine(line);
            }
            else
            {
                progress.Write("\r" + line.PadRight(110));
            }
        }
    }

    private static async Task WriteChartsAsync(ScenarioResult result, string firstClient, CycleReport? framed, HttpClient http, string outFolder,
        CancellationToken cancellationToken)
    {
        var byClient = result.Rows.GroupBy(r => r.ClientId).Take(6).ToList();
        var splits = byClient.Select(g => new TimeSeries(g.Key, [.. g.Select(r => r.TimeSeconds)], [.. g.Select(r => (double)r.Split)])).ToList();
        var bandwidth = byClient.Take(1).Select(g => new TimeSeries(g.Key, [.. g.Select(r => r.TimeSeconds)], [.. g.Select(r => r.LinkBandwidthBytesPerSecond)]))
            .Where(s => s.Values.Any(v => v > 0)).ToList();
        await Write(outFolder, "split-timeline.png",
            SplitTimelineChart.Render($"{result.Scenario.Name}: split per client", splits, bandwidth, ChartWidth, ChartHeight), cancellationToken);

        var client = await http.GetFromJsonAsync<JsonElement>($"/api/clients/{Uri.EscapeDataString(firstClient)}", SciotJson.Options, cancellationToken);
        var modelName = client.GetProperty("model_name").GetString()!;
        var model = await http.GetFromJsonAsync<JsonElement>($"/api/models/{Uri.EscapeDataString(modelName)}", SciotJson.Options, cancellationToken);
        var edge = model.GetProperty("edge_seconds_per_layer").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var device = client.GetProperty("device_seconds_ema").EnumerateArray()
            .Select(e => e.ValueKind == JsonValueKind.Number ? e.GetDouble() : 0).ToArray();
        var cuts = model.GetProperty("cuts").EnumerateArray().Select(c => c.GetProperty("live_bytes").GetInt64()).Skip(1).ToArray();
        var names = model.GetProperty("manifest").GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("name").GetString()!).ToArray();
        if (device.Length == edge.Length && cuts.Length == edge.Length)
        {
            // The server leaves the estimate out until it has measured an upload (the second result on). It then plans
            // with its own initial bandwidth, a setting this client does not know: no curve rather than one at a guess.
            if (client.TryGetProperty("bandwidth_bytes_per_second", out var b) && b.ValueKind == JsonValueKind.Number)
            {
                var bw = b.GetDouble();
                var plan = OffloadingPlanner.Plan(device, edge, cuts, bw);
                await Write(outFolder, "cost-curve.png", CostCurveChart.Render(
                    $"{firstClient} ({modelName}) at {bw / 1000:0.#} KB/s", plan.CostPerLayer, plan.Layer, ChartWidth, ChartHeight), cancellationToken);
            }
            await Write(outFolder, "layer-times.png", LayerTimesChart.Render(
                $"{modelName} on {firstClient}", [.. names.Select((n, i) => new LayerCost(n, device[i], edge[i], cuts[i]))], ChartWidth, ChartHeight), cancellationToken);
        }
        if (framed is { Frame: { } frame, ServerPrediction: { } prediction })
        {
            var detections = PredictionDecoder.Detections(prediction);
            await Write(outFolder, "detections.png", DetectionFrameChart.Render(
                $"{framed.ModelName}, split after {framed.LastLayerRun}: {detections.Count} detection(s)", frame.Image, detections, frame.Truth, 480, 520),
                cancellationToken);
        }
    }

    private static Task Write(string folder, string name, byte[] png, CancellationToken cancellationToken) =>
        File.WriteAllBytesAsync(Path.Combine(folder, name), png, cancellationToken);

    private sealed class Device(DeviceRunner runner, DeviceOptions options, EmulatedClock clock, int group)
    {
        public DeviceRunner Runner { get; } = runner;
        public DeviceOptions Options { get; } = options;
        public EmulatedClock Clock { get; } = clock;
        public int Group { get; } = group;
        public int EventsApplied { get; set; }
    }
}
