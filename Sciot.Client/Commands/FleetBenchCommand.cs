using System.CommandLine;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Sciot.Client.Connectivity;
using Sciot.Client.Device;
using Sciot.Core.Models;
using Sciot.Core.Protocol;
using Sciot.Core.Splitting;

namespace Sciot.Client.Commands;

/// <summary>
/// <c>bench-fleet --single URL --cluster URL,URL,URL [--clients 10000] [--rounds 3] [--concurrency 64]</c>: the
/// session store under a fleet. Registers the clients on one in-process server and on the cluster's replicas
/// (requests spread round-robin, as Aspire's proxy spreads connections), then drives one result per client per
/// round, rounds alternating between the two, and prints registrations/s, results/s (median over rounds), request
/// p50/p99 and server memory per client (resident memory of the server processes, read from <c>/proc</c> of the
/// process ids their <c>/api/cluster</c> reports, plus <c>--store-pid</c>: Garnet). Same machine only.
/// Started with the servers by <c>.ci/bench-cluster</c>. <c>--evicting URL</c> adds a server that evicts idle sessions
/// (and <c>--cluster</c> may then be left out): after the rounds the bench waits for its sweep and reads both single
/// servers' memory again, side by side. Started with the servers by <c>.ci/bench-sessions</c>.
/// </summary>
public static class FleetBenchCommand
{
    /// <summary>
    /// How long the bench waits after the last round before it reads the memory of an <c>--evicting</c> server: that
    /// server must be started with an idle eviction (and sweep) shorter than this, e.g. 2 s and 1 s as .ci/bench-sessions does.
    /// </summary>
    private static readonly TimeSpan EvictionSettle = TimeSpan.FromSeconds(10);

    private const int Unreachable = 3;

    public static async Task<int> RunAsync(string[] args)
    {
        var singleOption = CommandLineParsing.Url("--single", "the one in-process server", required: true);
        var clusterOption = new Option<string?>("--cluster") { Description = "the cluster's replicas, comma-separated URLs" };
        var evictingOption = CommandLineParsing.Url("--evicting", "a server that evicts idle sessions");
        var clientsOption = CommandLineParsing.Count("--clients", "clients registered on each target (default 10000)", minimum: 1, maximum: 1_000_000);
        var roundsOption = CommandLineParsing.Count("--rounds", "result rounds over all clients (default 3)", minimum: 1, maximum: 100);
        var concurrencyOption = CommandLineParsing.Count("--concurrency", "concurrent requests (default 64)", minimum: 1, maximum: 1024);
        var storePidOption = CommandLineParsing.Count("--store-pid", "the Garnet process whose memory counts for the cluster", minimum: 1);
        var command = new RootCommand("Registers many clients on one server and on a cluster and drives results: rates, latency, memory per client")
        {
            singleOption, clusterOption, evictingOption, clientsOption, roundsOption, concurrencyOption, storePidOption,
        };
        if (CommandLineParsing.Parse(command, "bench-fleet", args, Console.Out, Console.Error, out var exitCode) is not { } parsed)
        {
            return exitCode;
        }
        var single = parsed.GetValue(singleOption)!.ToString();
        var cluster = parsed.GetValue(clusterOption);
        var evicting = parsed.GetValue(evictingOption)?.ToString();
        var clients = parsed.GetValue(clientsOption) ?? 10_000;
        var rounds = parsed.GetValue(roundsOption) ?? 3;
        var concurrency = parsed.GetValue(concurrencyOption) ?? 64;
        var storePid = parsed.GetValue(storePidOption);
        if (!BenchReport.IsRelease)
        {
            Console.Error.WriteLine($"bench-fleet: this is a {BenchReport.Configuration} build; use -c Release for figures worth reporting");
        }
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(30));
        List<Target> targets;
        Payloads payloads;
        try
        {
            targets = [await Target.ConnectAsync("one in-process server", [single], null, concurrency, deadline.Token)];
            if (cluster is not null)
            {
                targets.Add(await Target.ConnectAsync("cluster", cluster.Split(','), storePid, concurrency, deadline.Token));
            }
            if (evicting is not null)
            {
                targets.Add(await Target.ConnectAsync("one in-process server, idle sessions evicted", [evicting], null, concurrency, deadline.Token));
            }
            payloads = await Payloads.CreateAsync(targets[0], deadline.Token);
        }
        catch (HttpRequestException e)
        {
            Console.Error.WriteLine($"bench-fleet: cannot reach a server: {e.Message}");
            return Unreachable;
        }
        var load = BenchReport.LoadAverage();
        var started = Stopwatch.GetTimestamp();
        foreach (var target in targets)
        {
            Console.Error.WriteLine($"bench-fleet: registering {clients} clients on {target.Name}");
            await target.RegisterAsync(clients, concurrency, deadline.Token);
        }
        for (var round = 0; round < rounds; round++)
        {
            // Alternating which side goes first keeps either from always inheriting the other's warm caches or backlog.
            foreach (var target in round % 2 == 0 ? targets : Enumerable.Reverse(targets))
            {
                Console.Error.WriteLine($"bench-fleet: round {round + 1}: one result per client on {target.Name}");
                await target.ResultsAsync(clients, concurrency, payloads, round, deadline.Token);
            }
        }

        if (targets.Count > 1 && targets[^1].Name.EndsWith("evicted", StringComparison.Ordinal))
        {
            Console.Error.WriteLine($"bench-fleet: waiting {EvictionSettle.TotalSeconds:0} s for the evicting server to sweep its idle sessions");
            await Task.Delay(EvictionSettle, deadline.Token);
            targets[^1].MeasureMemory();
            targets[0].MeasureMemory();
        }

        Console.WriteLine($"`bench-fleet --clients {clients} --rounds {rounds} --concurrency {concurrency}`, {BenchReport.Machine}, " +
            $"load average {load} at start; whole bench {Stopwatch.GetElapsedTime(started).TotalSeconds:F0} s.");
        Console.WriteLine();
        Console.WriteLine("| store | replicas | registrations/s | registration ms p50 (p99) | results/s, median of rounds | result ms p50 (p99) | server memory per client |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var t in targets)
        {
            Console.WriteLine($"| {t.Name} | {t.Urls.Length} | {t.RegistrationsPerSecond:F0} | {t.Registration.MedianMs:F2} ({t.Registration.P99Ms:F2}) | " +
                $"{BenchStatistics.Median(t.ResultsPerSecond):F0} | {t.Result.MedianMs:F2} ({t.Result.P99Ms:F2}) | {t.MemoryPerClientKb:F1} KB |");
        }
        Console.WriteLine();
        if (targets.FirstOrDefault(t => t.Name.EndsWith("evicted", StringComparison.Ordinal)) is { } evicted)
        {
            Console.WriteLine($"evicting / keeping sessions: memory per client {evicted.MemoryPerClientKb / targets[0].MemoryPerClientKb:F2}, " +
                $"results/s {BenchStatistics.Median(evicted.ResultsPerSecond) / BenchStatistics.Median(targets[0].ResultsPerSecond):F2}");
        }
        if (targets.FirstOrDefault(t => t.Name == "cluster") is not { } many)
        {
            return 0;
        }
        var one = targets[0];
        Console.WriteLine($"cluster / one server: registrations/s {many.RegistrationsPerSecond / one.RegistrationsPerSecond:F2}, " +
            $"results/s {BenchStatistics.Median(many.ResultsPerSecond) / BenchStatistics.Median(one.ResultsPerSecond):F2}, " +
            $"result p50 {many.Result.MedianMs / one.Result.MedianMs:F2}, memory per client {many.MemoryPerClientKb / one.MemoryPerClientKb:F2}");
        return 0;
    }

    /// <summary>The payloads at the last cut with a tail (one small tensor): the bench measures the session store, not ONNX Runtime.</summary>
    private sealed record Payloads(ModelPackage Package, int Layer, Sciot.Core.Tensors.NamedTensor[] Live)
    {
        public static async Task<Payloads> CreateAsync(Target target, CancellationToken cancellationToken)
        {
            var api = target.Apis[0];
            var registration = await api.RegisterAsync(ServerBenchmark.Registration("fleet_probe", "fomo_96x96"), cancellationToken);
            var paths = new DeviceOptions();
            var package = await new ModelStore(ClientPaths.BundledModels(paths), ClientPaths.Cache(paths), NullLogger.Instance)
                .AcquireAsync(registration.ModelName, registration.ModelVersion, api, cancellationToken);
            var k = package.Graph.LastLayer - 1;
            using var split = new SplitModel(package.Graph);
            return new Payloads(package, k, split.RunHead(k, [ModelBenchmark.SceneInput(package.Manifest)]).ToArray());
        }

        /// <summary>A new message id per upload: the server treats a repeated id and body as a retry and replays it.</summary>
        public byte[] For(uint messageId) => new ResultPayloadV2
        {
            ModelName = Package.Name,
            ModelVersion = Package.Manifest.Version,
            MessageId = messageId,
            OffloadingLayerIndex = Layer,
            Timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0,
            LayerTimesSeconds = Enumerable.Repeat(0.01f, Layer + 1).ToArray(),
            UploadSeconds = 0.01,
            UploadBytes = Live.Sum(t => t.ByteCount),
            Tensors = Live,
        }.Encode();
    }

    private sealed class Target
    {
        private readonly int[] _pids;
        private long _residentBefore;

        private Target(string name, string[] urls, HttpClient[] http, int[] pids)
        {
            Name = name;
            Urls = urls;
            Apis = http.Select(h => new ServerApi(h, h)).ToArray();
            _pids = pids;
        }

        public string Name { get; }
        public string[] Urls { get; }
        public ServerApi[] Apis { get; }
        public double RegistrationsPerSecond { get; private set; }
        public TimingSummary Registration { get; private set; }
        public List<double> ResultsPerSecond { get; } = [];
        public TimingSummary Result => TimingSummary.Of(_resultMs);
        public double MemoryPerClientKb { get; private set; }
        private readonly List<double> _resultMs = [];
        private int _clients;

        public static async Task<Target> ConnectAsync(string name, string[] urls, int? storePid, int concurrency, CancellationToken cancellationToken)
        {
            var http = urls.Select(u => new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, UseProxy = false })
            {
                BaseAddress = new Uri(u),
                Timeout = TimeSpan.FromSeconds(60),
            }).ToArray();
            var pids = new List<int>();
            foreach (var client in http)
            {
                var cluster = await client.GetFromJsonAsync<JsonElement>("/api/cluster", cancellationToken);
                pids.Add(cluster.GetProperty("process_id").GetInt32());
            }
            if (storePid is { } store)
            {
                pids.Add(store);
            }
            return new Target(name, urls, http, pids.ToArray());
        }

        public async Task RegisterAsync(int clients, int concurrency, CancellationToken cancellationToken)
        {
            _clients = clients;
            _residentBefore = Resident();
            var run = await Timed(clients, concurrency, i => Apis[i % Apis.Length].RegisterAsync(ServerBenchmark.Registration(Id(i), "fomo_96x96"), cancellationToken));
            RegistrationsPerSecond = clients / run.Seconds;
            Registration = TimingSummary.Of(run.Ms);
        }

        public async Task ResultsAsync(int clients, int concurrency, Payloads payloads, int round, CancellationToken cancellationToken)
        {
            var run = await Timed(clients, concurrency, i => Apis[(i + round) % Apis.Length].PostResultAsync(Id(i), payloads.For((uint)(round + 1)), cancellationToken));
            ResultsPerSecond.Add(clients / run.Seconds);
            _resultMs.AddRange(run.Ms);
            MeasureMemory();
        }

        /// <summary>Growth of the resident set since before registration, per registered client.</summary>
        public void MeasureMemory() => MemoryPerClientKb = (Resident() - _residentBefore) / 1024.0 / _clients;

        private static string Id(int i) => $"fleet_{i:D5}";

        private static async Task<(double Seconds, double[] Ms)> Timed(int count, int workers, Func<int, Task> operation)
        {
            var ms = new double[count];
            var next = -1;
            var start = Stopwatch.GetTimestamp();
            await Task.WhenAll(Enumerable.Range(0, workers).Select(async _ =>
            {
                for (var i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next))
                {
                    var t = Stopwatch.GetTimestamp();
                    await operation(i);
                    ms[i] = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
                }
            }));
            return (Stopwatch.GetElapsedTime(start).TotalSeconds, ms);
        }

        /// <summary>Resident set of every process of this store, in bytes (VmRSS in /proc/PID/status).</summary>
        private long Resident() => _pids.Sum(pid => long.Parse(File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:"))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024);
    }
}
