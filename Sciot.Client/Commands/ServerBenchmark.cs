using System.Diagnostics;
using Sciot.Client.Connectivity;
using Sciot.Core.Models;
using Sciot.Core.Protocol;
using Sciot.Core.Protocol.Json;
using Sciot.Core.Splitting;
using Sciot.Core.Tensors;

namespace Sciot.Client.Commands;

/// <summary>
/// What serving a cut costs on top of computing it: one v2 payload at cut k, computed once, posted to a running server
/// as devices post it (only <c>POST /api/device_inference_result</c> is timed), against the same tail run in this
/// process and against the same bytes over bare loopback TCP (<see cref="TransportFloor"/>); first one client at a
/// time, then many clients at once.
/// </summary>
public sealed class ServerBenchmark : IDisposable
{
    /// <summary>
    /// Every layer reports the same device time: the server only checks how many there are, and constant times keep
    /// its variance detector from scheduling refreshes (and logging them) in the middle of the measurement.
    /// </summary>
    private const float LayerSeconds = 0.01f;

    /// <summary>Concurrent runs per side, alternated; see <see cref="ConcurrentSeries"/>.</summary>
    private const int LoadRuns = 5;

    private readonly ServerBenchOptions _options;
    private readonly ServerApi _api;
    private readonly ModelPackage _package;
    private readonly TextWriter _progress;
    private readonly SplitModel _split;
    private readonly IReadOnlyList<NamedTensor> _live;
    private readonly byte[][] _payloads;

    /// <summary>
    /// Distinct message ids, more than the server remembers per client for retries: a repeated body with the same id
    /// would be answered as a retry (no tail run, nothing stored) and the bench would time replays instead of work.
    /// </summary>
    private const int DistinctPayloads = 16;

    /// <summary>
    /// Per client, not one counter for all: with 64 loops sharing a counter, each client would draw every 64th
    /// payload, which modulo 16 is the same one again, and nearly every concurrent request would be a replay.
    /// </summary>
    private readonly int[] _sentByClient;
    private readonly string[] _clientIds;

    /// <param name="package">The model the server assigned, at the version it serves (the server refuses any other).</param>
    public ServerBenchmark(ServerBenchOptions options, ServerApi api, ModelPackage package, TextWriter progress)
    {
        _options = options;
        _api = api;
        _package = package;
        _progress = progress;
        _clientIds = ClientIds(options);
        _sentByClient = new int[_clientIds.Length];
        _split = new SplitModel(package.Graph);
        _live = _split.RunHead(options.K, [ModelBenchmark.SceneInput(package.Manifest)]);
        var liveBytes = _live.Sum(t => t.ByteCount);
        _payloads = Enumerable.Range(1, DistinctPayloads).Select(id => new ResultPayloadV2
        {
            ModelName = package.Name,
            ModelVersion = package.Manifest.Version,
            MessageId = (uint)id,
            OffloadingLayerIndex = options.K,
            Timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0,
            LayerTimesSeconds = Enumerable.Repeat(LayerSeconds, options.K + 1).ToArray(),
            // A device reports its previous upload in every message after its first; without it the server would
            // estimate bandwidth from this payload's ever older timestamp instead.
            UploadSeconds = 0.01,
            UploadBytes = liveBytes,
            Tensors = _live,
        }.Encode()).ToArray();
    }

    /// <summary>Results posted so far; every one is new work for the server (none a replay).</summary>
    public int ResultsPosted => _sentByClient.Sum();

    /// <summary>What the transport floor's receiving side read in full during the last run (payload bytes without prefixes).</summary>
    public long FloorMessagesReceived { get; private set; }

    public long FloorBytesReceived { get; private set; }

    private byte[] NextPayload(int client) => _payloads[Interlocked.Increment(ref _sentByClient[client]) % DistinctPayloads];

    /// <summary>One client per concurrent loop; the first also runs the sequential series.</summary>
    /// <remarks>
    /// The model is part of the id because assignments are sticky: a <c>bench_0001</c> left on the server by a run with
    /// another model would keep that model, and the server would refuse this run's payloads.
    /// </remarks>
    public static string[] ClientIds(ServerBenchOptions options) =>
        Enumerable.Range(1, options.Concurrency).Select(n => $"bench_{options.Model}_{n:D4}").ToArray();

    /// <summary>Listing the model as held makes the server assign it (unless a rule or an earlier assignment wins).</summary>
    public static RegistrationRequest Registration(string clientId, string model) =>
        new() { ClientId = clientId, Capabilities = new ClientCapabilities { DeviceClass = "bench", Models = [model] } };

    public async Task<ServerBenchResult> RunAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var k = _options.K;
        var load = BenchReport.LoadAverage();

        if (_clientIds.Length > 1)
        {
            Progress($"registering clients {_clientIds[1]}..{_clientIds[^1]}");
        }
        foreach (var id in _clientIds.Skip(1))
        {
            var reply = await _api.RegisterAsync(Registration(id, _package.Name), cancellationToken);
            if (reply.ModelName != _package.Name)
            {
                throw new InvalidDataException($"the server assigned {reply.ModelName} to {id} instead of {_package.Name} ({reply.AssignmentReason})");
            }
        }

        Progress("in-process decode of the payload");
        var decode = TimingSummary.Of(BenchTimer.Series(() => ResultPayloadV2.Parse(_payloads[0]), _options.Warmup, _options.Requests));

        Progress($"transport floor: {_clientIds.Length} loopback TCP connections carrying the payload");
        await using var floor = await TransportFloor.OpenAsync(_payloads[0], _clientIds.Length, cancellationToken);

        Progress($"1 client, sequential: {_options.Requests} requests interleaved with in-process tail runs and transport-floor messages");
        var replies = new List<InferenceResultResponse>();
        var sequential = await BenchTimer.InterleavedAsync(_options.Warmup, _options.Requests,
            TailAsync,
            async () => replies.Add(await _api.PostResultAsync(_clientIds[0], NextPayload(0), cancellationToken)),
            () => floor.SendAsync(0, cancellationToken));
        var requestMs = sequential[1];
        // Warm-up replies come first, one per warm-up round.
        var measured = replies.Skip(_options.Warmup).ToArray();
        var processingMs = measured.Select(r => r.ProcessingSeconds * 1000).ToArray();
        var edgeMs = measured.Select(r => r.EdgeSeconds * 1000).ToArray();

        Progress($"{_options.Concurrency} concurrent clients: warm-up (one request each, which also opens the connections)");
        await Task.WhenAll(_clientIds.Select((id, client) => _api.PostResultAsync(id, NextPayload(client), cancellationToken)));
        await BenchTimer.ConcurrentAsync(_options.Concurrency, _options.Concurrency, _ => TailAsync());

        Progress($"{_options.Concurrency} concurrent loops: {LoadRuns} runs per side of {_options.Requests} in-process tail runs, requests or floor messages, rotating");
        var inProcessRuns = new List<ConcurrentRun>();
        var serverRuns = new List<ConcurrentRun>();
        var floorRuns = new List<ConcurrentRun>();
        var sides = new (List<ConcurrentRun> Runs, Func<Task<ConcurrentRun>> Run)[]
        {
            (inProcessRuns, InProcessLoadAsync),
            (serverRuns, () => ServerLoadAsync(cancellationToken)),
            (floorRuns, () => BenchTimer.ConcurrentAsync(_options.Requests, _options.Concurrency, w => floor.SendAsync(w, cancellationToken))),
        };
        for (var i = 0; i < LoadRuns; i++)
        {
            // Rotating which side goes first keeps any from always inheriting another's warm caches or backlog.
            for (var j = 0; j < sides.Length; j++)
            {
                var side = sides[(i + j) % sides.Length];
                side.Runs.Add(await side.Run());
            }
        }
        FloorMessagesReceived = floor.MessagesReceived;
        FloorBytesReceived = floor.BytesReceived;

        var cut = _package.Graph.Cut(k);
        return new ServerBenchResult(
            _package.Name, k, _package.Graph.Layers[k].Name, cut.LiveTensors.Count, cut.LiveBytes, _payloads[0].Length, _options.Requests, _options.Warmup, load,
            decode,
            TimingSummary.Of(sequential[0]),
            TimingSummary.Of(requestMs),
            TimingSummary.Of(processingMs),
            TimingSummary.Of(edgeMs),
            TimingSummary.Of(processingMs.Zip(edgeMs, (p, e) => p - e).ToArray()),
            TimingSummary.Of(requestMs.Zip(processingMs, (r, p) => r - p).ToArray()),
            new ConcurrentSeries(inProcessRuns),
            new ConcurrentSeries(serverRuns),
            TimingSummary.Of(sequential[2]),
            new ConcurrentSeries(floorRuns),
            Stopwatch.GetElapsedTime(started));
    }

    private Task<ConcurrentRun> InProcessLoadAsync() => BenchTimer.ConcurrentAsync(_options.Requests, _options.Concurrency, _ => TailAsync());

    private Task<ConcurrentRun> ServerLoadAsync(CancellationToken cancellationToken) =>
        BenchTimer.ConcurrentAsync(_options.Requests, _options.Concurrency, w => _api.PostResultAsync(_clientIds[w], NextPayload(w), cancellationToken));

    private Task TailAsync()
    {
        _split.RunTail(_options.K, _live);
        return Task.CompletedTask;
    }

    private void Progress(string phase) => _progress.WriteLine($"[bench-server {_package.Name} k={_options.K}] {phase}");

    public void Dispose() => _split.Dispose();
}
