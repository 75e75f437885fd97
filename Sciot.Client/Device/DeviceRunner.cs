using System.Diagnostics;
using Sciot.Client.Connectivity;
using Sciot.Client.Frames;
using Sciot.Client.Telemetry;
using Sciot.Core.Evaluation;
using Sciot.Core.Imaging;
using Sciot.Core.Models;
using Sciot.Core.Protocol;
using Sciot.Core.Protocol.Json;
using Sciot.Core.Splitting;
using Sciot.Core.Tensors;
using Sciot.Core.Telemetry;

namespace Sciot.Client.Device;

/// <summary>
/// One emulated camera device running the seed's loop: frame → device_input → offloading decision → layers 0..k timed
/// one by one → result upload → the server's prediction. Without a server it runs every layer locally and keeps trying
/// to register; when the server answers again it switches back to split mode by itself. No exception leaves a cycle.
/// On frames with ground truth it scores every prediction (the matcher <c>evaluate</c> uses), logs the precision and
/// recall of a sliding window of cycles, and reports the score of the server's prediction with its next result, so the
/// server knows the live quality too.
/// </summary>
public sealed class DeviceRunner : IDisposable
{
    private readonly DeviceOptions _options;
    private readonly ServerApi _api;
    private readonly ModelStore _store;
    private readonly RegistrationPipeline _registration;
    private readonly RegistrationPipeline _reconnect;
    private readonly IFrameSource _frames;
    private readonly DeviceEmulator _emulator;
    private readonly LinkEmulator _link;
    private readonly ClientTelemetry _telemetry;
    private readonly ILogger _logger;
    private readonly DeviceModelCache _models;
    private readonly bool _ownsModels;
    private DeviceModel? _model;
    private DateTimeOffset _nextReconnect;
    private string? _lastProblem;
    private uint _messageId;
    private int? _nextLayer;
    private (double Seconds, long Bytes)? _lastUpload;
    private DateTimeOffset _rateLimitedUntil;
    private readonly DetectionQualityWindow _quality;
    private long _scoredCycles;
    private DetectionMatchResult? _unreportedQuality;

    /// <param name="models">Runtimes shared with the process's other virtual devices; null = this device's own.</param>
    /// <param name="clock">Time the link schedule follows; null = the system clock (a scenario passes its emulated device clock).</param>
    public DeviceRunner(string clientId, DeviceOptions options, ServerApi api, ModelStore store, IFrameSource frames, DeviceEmulator emulator,
        ClientTelemetry telemetry, ILogger logger, DeviceModelCache? models = null, TimeProvider? clock = null)
    {
        _ownsModels = models is null;
        _models = models ?? new DeviceModelCache();
        ClientId = ClientIds.Validate(clientId);
        _options = options;
        _api = api;
        _store = store;
        _frames = frames;
        _emulator = emulator;
        _link = new LinkEmulator(options.Link, clock ?? TimeProvider.System);
        _telemetry = telemetry;
        _logger = logger;
        _registration = new RegistrationPipeline(options.Registration, options.FallbackModel, logger);
        _reconnect = new RegistrationPipeline(options.Registration, options.FallbackModel, logger, maxRetriesOverride: 0);
        _quality = new DetectionQualityWindow(options.Quality.Window);
    }

    public string ClientId { get; }
    public bool IsSplitMode { get; private set; }
    public string? ModelName => _model?.Package.Name;
    public long Cycles { get; private set; }
    public long LocalOnlyCycles { get; private set; }

    /// <summary>Results the server answered with 200: each one it promised to have stored.</summary>
    public long AcknowledgedResults { get; private set; }
    public int RegistrationAttempts => _registration.Attempts + _reconnect.Attempts;

    /// <summary>Requests the server refused with 429 (its per-client rate limit); each one pauses split mode for its Retry-After.</summary>
    public long RateLimitedRequests { get; private set; }

    /// <summary>Registers through the full pipeline (retries, then fallback) and loads the resulting model.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        using var span = StartSpan("register");
        var outcome = await _registration.RegisterAsync(token => _api.RegisterAsync(Request(), token), cancellationToken);
        await ApplyAsync(outcome, cancellationToken);
    }

    /// <summary>Cycles that failed for a reason of the device's own (an ONNX Runtime or I/O error), logged and retried.</summary>
    public long FailedCycles { get; private set; }

    /// <summary>
    /// The device loop. A cycle that fails for a reason of the device's own is logged, counted and retried after a
    /// growing pause (0.2 s doubling to 30 s): a device keeps going. Only a configuration error stops it.
    /// </summary>
    /// <param name="cancellationToken">Stops at once, a cycle in flight included.</param>
    /// <param name="stopAfterCycle">Stops between cycles: the cycle in flight finishes, so every result the device sent
    /// is answered and counted (what a load run needs to compare both sides exactly).</param>
    public async Task RunAsync(CancellationToken cancellationToken, CancellationToken stopAfterCycle = default)
    {
        await StartAsync(cancellationToken);
        using var pauses = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stopAfterCycle);
        var failuresInARow = 0;
        while (!pauses.IsCancellationRequested)
        {
            var pause = TimeSpan.FromMilliseconds(_options.CycleIntervalMs);
            try
            {
                await RunCycleAsync(cancellationToken);
                failuresInARow = 0;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is not DeviceConfigurationException)
            {
                failuresInARow++;
                FailedCycles++;
                _telemetry.FailedCycles.Add(1);
                pause = TimeSpan.FromSeconds(Math.Min(30, 0.1 * Math.Pow(2, failuresInARow)));
                _logger.LogError(e, "{ClientId}: cycle failed ({Count} in a row); next attempt in {Pause:F1} s", ClientId, failuresInARow, pause.TotalSeconds);
            }
            // A stop between cycles ends the loop at the check above; cancellation throws, as it does mid-cycle.
            await Task.Delay(pause, pauses.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    public async Task<CycleReport> RunCycleAsync(CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        using var activity = StartSpan("device_cycle");
        if (!IsSplitMode && DateTimeOffset.UtcNow >= _nextReconnect)
        {
            await TryReconnectAsync(cancellationToken);
        }
        var model = _model ?? throw new InvalidOperationException("StartAsync must run before the first cycle");
        CycleReport report;
        if (IsSplitMode && DateTimeOffset.UtcNow < _rateLimitedUntil)
        {
            report = await RunLocalCycleAsync(model, NextFrame(model), "rate limited by the server: waiting for its Retry-After", cancellationToken);
        }
        else if (IsSplitMode)
        {
            try
            {
                report = await RunSplitCycleAsync(cancellationToken);
                Recovered();
            }
            catch (Exception e) when (IsServerProblem(e) && !cancellationToken.IsCancellationRequested)
            {
                // Whatever the server decided for this device may be stale now: ask again in the next split cycle.
                _nextLayer = null;
                if (e is ServerRejectedException { IsRateLimited: true } limited)
                {
                    RateLimitedRequests++;
                    _telemetry.RateLimitedRequests.Add(1);
                    _rateLimitedUntil = DateTimeOffset.UtcNow + (limited.RetryAfter is { } wait && wait > TimeSpan.Zero ? wait : TimeSpan.FromSeconds(1));
                }
                report = await RunLocalCycleAsync(_model!, NextFrame(_model!), Problem(e), cancellationToken);
            }
        }
        else
        {
            report = await RunLocalCycleAsync(model, NextFrame(model), null, cancellationToken);
        }
        Cycles++;
        activity?.SetTag(SciotTags.Model, report.ModelName);
        activity?.SetTag(SciotTags.SplitLayer, report.Decision);
        _telemetry.CycleSeconds.Record(Stopwatch.GetElapsedTime(start).TotalSeconds);
        Score(report);
        return report;
    }

    /// <summary>
    /// One split cycle. The decision is the one the server made with the last result (<c>next_offloading_layer</c>):
    /// it decides once per cycle. Only without one (first cycle, after a failure) the device asks for it, and that
    /// answer also says which model to run, so a re-assignment is followed before a frame of the old size is sent.
    /// </summary>
    private async Task<CycleReport> RunSplitCycleAsync(CancellationToken cancellationToken)
    {
        int decided;
        if (_nextLayer is { } next)
        {
            decided = next;
            _nextLayer = null;
        }
        else
        {
            OffloadingDecisionResponse decision;
            using (var span = StartSpan("get_decision"))
            {
                decision = await _api.GetDecisionAsync(ClientId, cancellationToken);
                span?.SetTag(SciotTags.SplitLayer, decision.OffloadingLayerIndex);
            }
            if (decision.ModelName != _model!.Package.Name || !string.Equals(decision.ModelVersion, _model.Package.Manifest.Version, StringComparison.OrdinalIgnoreCase))
            {
                _logger.LogInformation("Server switched {ClientId} to model {Model}", ClientId, decision.ModelName);
                SwitchTo(await _store.AcquireAsync(decision.ModelName, decision.ModelVersion, _api, cancellationToken));
            }
            decided = decision.OffloadingLayerIndex;
        }
        var model = _model!;
        var frame = NextFrame(model);
        using (StartSpan("upload_frame"))
        {
            await _api.PostFrameAsync(ClientId, Rgb565.Encode(frame.Image), cancellationToken);
        }
        var last = model.Package.Graph.LastLayer;
        var k = decided >= 0 && decided <= last ? decided : last;
        var (live, seconds) = await RunLayersAsync(model, k, frame);
        var payload = Encode(model, k, live, seconds);

        InferenceResultResponse result;
        double bandwidth;
        using (var span = StartSpan("send_result"))
        {
            span?.SetTag(SciotTags.SplitLayer, k);
            span?.SetTag(SciotTags.TensorBytes, payload.Length);
            bandwidth = _link.CurrentBandwidth;
            var uploadStart = Stopwatch.GetTimestamp();
            // Like device time, the link's delay is waited only in real time; otherwise it is reported as if it had been.
            var linkDelay = _link.DelayFor(payload.Length);
            if (_emulator.RealTime)
            {
                await Task.Delay(linkDelay, cancellationToken);
            }
            result = await _api.PostResultAsync(ClientId, payload, cancellationToken);
            AcknowledgedResults++;
            var transfer = Stopwatch.GetElapsedTime(uploadStart).TotalSeconds - result.ProcessingSeconds + (_emulator.RealTime ? 0 : linkDelay.TotalSeconds);
            _lastUpload = (Math.Max(transfer, 1e-6), payload.Length);
        }
        _telemetry.BytesSent.Add(payload.Length);
        var accuracy = frame.Truth is null ? null : DetectionMatcher.Match(PredictionDecoder.Detections(result.Prediction), frame.Truth, CellRadius(model));
        // The server learns this with the next result (it is not known before the reply to this one).
        _unreportedQuality = accuracy;
        _logger.LogInformation("{ClientId} cycle {Cycle}: {Model} split after layer {Layer} ({Bytes} bytes), server found {Count} objects{Accuracy}",
            ClientId, Cycles + 1, model.Package.Name, k, payload.Length, result.Prediction.Detections.Count,
            accuracy is null ? "" : $" ({accuracy.TruePositives} right, {accuracy.FalsePositives} wrong, {accuracy.FalseNegatives} missed)");
        _nextLayer = result.NextOffloadingLayer;
        var uploadSeconds = _lastUpload.Value.Seconds;
        return new CycleReport(Cycles + 1, true, model.Package.Name, decided, k, seconds, result.Prediction, null, accuracy, null)
        {
            Timing = new CycleTiming(seconds.Sum(), uploadSeconds, result.EdgeSeconds, seconds.Sum() + uploadSeconds + result.ProcessingSeconds, payload.Length, bandwidth),
            Frame = frame,
        };
    }

    private async Task<CycleReport> RunLocalCycleAsync(DeviceModel model, Frame frame, string? problem, CancellationToken cancellationToken)
    {
        var last = model.Package.Graph.LastLayer;
        var (live, seconds) = await RunLayersAsync(model, last, frame);
        var manifest = model.Package.Manifest;
        var detections = PredictionDecoder.Detections(PredictionDecoder.Decode(manifest, live[0]));
        var accuracy = frame.Truth is null ? null : DetectionMatcher.Match(detections, frame.Truth, CellRadius(model));
        LocalOnlyCycles++;
        _telemetry.LocalOnlyCycles.Add(1);
        return new CycleReport(Cycles + 1, false, manifest.Name, -1, last, seconds, null, detections, accuracy, problem)
        {
            Timing = new CycleTiming(seconds.Sum(), 0, 0, seconds.Sum(), 0, _link.CurrentBandwidth),
            Frame = frame,
        };
    }

    private async Task<(IReadOnlyList<NamedTensor> Live, double[] Seconds)> RunLayersAsync(DeviceModel model, int k, Frame frame)
    {
        using var span = StartSpan("device_inference");
        span?.SetTag(SciotTags.SplitLayer, k);
        var input = model.Package.Manifest.Input;
        var tensor = InputTensorizer.ToTensor(frame.Image, input.Name, input.Scale, input.Offset);
        var result = model.Layerwise.Run(k, tensor);
        var reported = _emulator.Emulate(model.Package, result.LayerSeconds);
        if (span is not null)
        {
            for (var i = 0; i < reported.Length; i++)
            {
                span.AddEvent(new ActivityEvent($"layer {i}", tags: new ActivityTagsCollection
                {
                    ["sciot.layer"] = model.Package.Graph.Layers[i].Name,
                    ["sciot.seconds"] = reported[i],
                }));
            }
        }
        var extra = reported.Sum() - result.LayerSeconds.Sum();
        if (_emulator.RealTime && extra > 0)
        {
            await Task.Delay(TimeSpan.FromSeconds(extra));
        }
        _telemetry.DeviceSeconds.Record(reported.Sum());
        return (result.LiveTensors, reported);
    }

    private byte[] Encode(DeviceModel model, int k, IReadOnlyList<NamedTensor> live, double[] seconds)
    {
        var times = seconds.Select(s => (float)s).ToArray();
        var messageId = ++_messageId;
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        // Taken for every payload: a v1 payload has no field for it, and a later one must not report a stale score.
        var quality = TakeUnreportedQuality();
        if (_options.ResultFormat == "v1" && live.Count == 1)
        {
            var t = live[0];
            return new ResultPayloadV1(timestamp, ClientId.Length <= ResultPayloadV1.DeviceIdBytes ? ClientId : ClientId[..ResultPayloadV1.DeviceIdBytes],
                messageId, k, TensorLayout.NchwToNhwc(t.Data, t.Shape[1], t.Shape[2], t.Shape[3]), times).Encode();
        }
        return new ResultPayloadV2
        {
            ModelName = model.Package.Name,
            ModelVersion = model.Package.Manifest.Version,
            MessageId = messageId,
            OffloadingLayerIndex = k,
            Timestamp = timestamp,
            LayerTimesSeconds = times,
            UploadSeconds = _lastUpload?.Seconds,
            UploadBytes = _lastUpload?.Bytes,
            Quality = quality,
            Tensors = live,
        }.Encode();
    }

    private async Task TryReconnectAsync(CancellationToken cancellationToken)
    {
        using var span = StartSpan("register");
        var outcome = await _reconnect.RegisterAsync(token => _api.RegisterAsync(Request(), token), cancellationToken);
        await ApplyAsync(outcome, cancellationToken);
    }

    private async Task ApplyAsync(RegistrationOutcome outcome, CancellationToken cancellationToken)
    {
        _telemetry.RegistrationAttempts.Add(1, new KeyValuePair<string, object?>("outcome", outcome.Registered ? "registered" : "fallback"));
        if (outcome is { Registered: true, Response: { } response })
        {
            try
            {
                SwitchTo(await _store.AcquireAsync(response.ModelName, response.ModelVersion, _api, cancellationToken));
                IsSplitMode = true;
                _logger.LogInformation("✓ Server assigned model: {Model} ({ClientId}, {Reason})", response.ModelName, ClientId, response.AssignmentReason);
                return;
            }
            catch (Exception e) when (IsServerProblem(e) && !cancellationToken.IsCancellationRequested)
            {
                outcome = RegistrationOutcome.LocalOnly(_options.FallbackModel, "assigned model unavailable: " + e.Message);
            }
        }
        IsSplitMode = false;
        _nextReconnect = DateTimeOffset.UtcNow.AddSeconds(_options.Registration.ReconnectIntervalSeconds);
        if (_model is null || _model.Package.Name != outcome.ModelName)
        {
            SwitchTo(_store.TryLoadLocal(outcome.ModelName)
                     ?? throw new DeviceConfigurationException($"fallback model '{outcome.ModelName}' is not among the device's bundled models ({string.Join(", ", _store.LocalModelNames())})"));
        }
        LogOnce($"⚠ Server unavailable - Using fallback model {outcome.ModelName} in local-only mode ({outcome.FailureReason})");
    }

    /// <summary>
    /// What an unreachable, slow or refusing server (or a malformed reply or bad download from it) throws through the resilience handler;
    /// the device answers all of them by running locally, never by stopping.
    /// </summary>
    private static bool IsServerProblem(Exception e) =>
        e is HttpRequestException or TaskCanceledException or Polly.Timeout.TimeoutRejectedException
            or Polly.CircuitBreaker.BrokenCircuitException or ServerRejectedException or ModelLoadException
            or System.Text.Json.JsonException or InvalidDataException;

    private void SwitchTo(ModelPackage package)
    {
        if (_model is not null && _model.Package.Manifest.Version != package.Manifest.Version)
        {
            // Quality belongs to one model: neither the window nor a score still to report carries over.
            _quality.Clear();
            _unreportedQuality = null;
        }
        _model = _models.Get(package);
    }

    /// <summary>The detection quality over the window of recent scored cycles (none before a frame with ground truth).</summary>
    public DetectionQuality RecentQuality => _quality.Current;

    /// <summary>Adds a cycle's score to the window and logs the window's precision and recall every <c>LogEveryCycles</c> scored cycles.</summary>
    private void Score(CycleReport report)
    {
        if (report.Accuracy is not { } accuracy)
        {
            return;
        }
        _quality.Add(accuracy);
        if (++_scoredCycles % _options.Quality.LogEveryCycles == 0)
        {
            var q = _quality.Current;
            _logger.LogInformation("{ClientId} detection quality over the last {Frames} cycles ({Model}): precision {Precision:F3} recall {Recall:F3} F1 {F1:F3} ({TruePositives} right, {FalsePositives} wrong, {FalseNegatives} missed)",
                ClientId, q.Frames, report.ModelName, q.Precision, q.Recall, q.F1, q.TruePositives, q.FalsePositives, q.FalseNegatives);
        }
    }

    /// <summary>The score of the server's last prediction, once.</summary>
    private DetectionMatchResult? TakeUnreportedQuality()
    {
        var quality = _unreportedQuality;
        _unreportedQuality = null;
        return quality;
    }

    private string Problem(Exception e)
    {
        var reason = RegistrationPipeline.Describe(e);
        if (e is ServerRejectedException { Status: System.Net.HttpStatusCode.NotFound } or not ServerRejectedException)
        {
            // Unreachable, or the server forgot us (e.g. a new database): register again before the next split cycle.
            IsSplitMode = false;
            _nextReconnect = DateTimeOffset.UtcNow.AddSeconds(e is ServerRejectedException ? 0 : _options.Registration.ReconnectIntervalSeconds);
        }
        LogOnce($"Split cycle failed, running locally: {reason}");
        return reason;
    }

    private void LogOnce(string message)
    {
        if (message != _lastProblem)
        {
            _logger.LogWarning("{ClientId}: {Message}", ClientId, message);
            _lastProblem = message;
        }
    }

    private void Recovered()
    {
        if (_lastProblem is not null)
        {
            _logger.LogInformation("{ClientId}: split mode working again", ClientId);
            _lastProblem = null;
        }
    }

    private RegistrationRequest Request() => new()
    {
        ClientId = ClientId,
        Capabilities = (_options.Capabilities ?? new ClientCapabilities()) with { Models = _store.LocalModelNames() },
    };

    private Frame NextFrame(DeviceModel model) => _frames.Next(model.Package.Manifest.Input.Width, model.Package.Manifest.Input.Height);

    /// <summary>
    /// Every span of this device carries its ID, so the dashboard's filter <c>sciot.client_id = ...</c> finds all of
    /// them (the HTTP client's spans under them inherit it, see <c>InheritSpanTag</c>).
    /// </summary>
    private Activity? StartSpan(string name)
    {
        var span = ClientTelemetry.Source.StartActivity(name);
        span?.SetTag(SciotTags.ClientId, ClientId);
        return span;
    }

    private static float CellRadius(DeviceModel model) =>
        (float)model.Package.Manifest.Input.Width / model.Package.Manifest.Output.Shape[^1];

    public void Dispose()
    {
        if (_ownsModels)
        {
            _models.Dispose();
        }
    }
}
