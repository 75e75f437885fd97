using System.Diagnostics;
using Sciot.Client.Connectivity;
using Sciot.Client.Frames;
using Sciot.Client.Telemetry;
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
    private LoadedModel? _model;
    private DateTimeOffset _nextReconnect;
    private string? _lastProblem;
    private uint _messageId;
    private (double Seconds, long Bytes)? _lastUpload;

    public DeviceRunner(string clientId, DeviceOptions options, ServerApi api, ModelStore store, IFrameSource frames, DeviceEmulator emulator,
        ClientTelemetry telemetry, ILogger logger)
    {
        ClientId = ClientIds.Validate(clientId);
        _options = options;
        _api = api;
        _store = store;
        _frames = frames;
        _emulator = emulator;
        _link = new LinkEmulator(options.Link);
        _telemetry = telemetry;
        _logger = logger;
        _registration = new RegistrationPipeline(options.Registration, options.FallbackModel, logger);
        _reconnect = new RegistrationPipeline(options.Registration, options.FallbackModel, logger, maxRetriesOverride: 0);
    }

    public string ClientId { get; }
    public bool IsSplitMode { get; private set; }
    public string? ModelName => _model?.Package.Name;
    public long Cycles { get; private set; }
    public long LocalOnlyCycles { get; private set; }
    public int RegistrationAttempts => _registration.Attempts + _reconnect.Attempts;

    /// <summary>Registers through the full pipeline (retries, then fallback) and loads the resulting model.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var outcome = await _registration.RegisterAsync(token => _api.RegisterAsync(Request(), token), cancellationToken);
        await ApplyAsync(outcome, cancellationToken);
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await StartAsync(cancellationToken);
        while (!cancellationToken.IsCancellationRequested)
        {
            await RunCycleAsync(cancellationToken);
            await Task.Delay(_options.CycleIntervalMs, cancellationToken);
        }
    }

    public async Task<CycleReport> RunCycleAsync(CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        using var activity = ClientTelemetry.Source.StartActivity("device_cycle");
        activity?.SetTag(SciotTags.ClientId, ClientId);
        if (!IsSplitMode && DateTimeOffset.UtcNow >= _nextReconnect)
        {
            await TryReconnectAsync(cancellationToken);
        }
        var model = _model ?? throw new InvalidOperationException("StartAsync must run before the first cycle");
        var frame = _frames.Next(model.Package.Manifest.Input.Width, model.Package.Manifest.Input.Height);
        CycleReport report;
        if (IsSplitMode)
        {
            try
            {
                report = await RunSplitCycleAsync(frame, cancellationToken);
                Recovered();
            }
            catch (Exception e) when (IsServerProblem(e) && !cancellationToken.IsCancellationRequested)
            {
                report = await RunLocalCycleAsync(_model!, frame, Problem(e), cancellationToken);
            }
        }
        else
        {
            report = await RunLocalCycleAsync(model, frame, null, cancellationToken);
        }
        Cycles++;
        activity?.SetTag(SciotTags.Model, report.ModelName);
        activity?.SetTag(SciotTags.SplitLayer, report.Decision);
        _telemetry.CycleSeconds.Record(Stopwatch.GetElapsedTime(start).TotalSeconds);
        return report;
    }

    private async Task<CycleReport> RunSplitCycleAsync(Frame frame, CancellationToken cancellationToken)
    {
        using (ClientTelemetry.Source.StartActivity("upload_frame"))
        {
            await _api.PostFrameAsync(ClientId, Rgb565.Encode(frame.Image), cancellationToken);
        }
        OffloadingDecisionResponse decision;
        using (var span = ClientTelemetry.Source.StartActivity("get_decision"))
        {
            decision = await _api.GetDecisionAsync(ClientId, cancellationToken);
            span?.SetTag(SciotTags.SplitLayer, decision.OffloadingLayerIndex);
        }
        if (decision.ModelName != _model!.Package.Name || !string.Equals(decision.ModelVersion, _model.Package.Manifest.Version, StringComparison.OrdinalIgnoreCase))
        {
            _logger.LogInformation("Server switched {ClientId} to model {Model}", ClientId, decision.ModelName);
            SwitchTo(await _store.AcquireAsync(decision.ModelName, decision.ModelVersion, _api, cancellationToken));
            frame = _frames.Next(_model.Package.Manifest.Input.Width, _model.Package.Manifest.Input.Height);
        }
        var model = _model;
        var last = model.Package.Graph.LastLayer;
        var k = decision.OffloadingLayerIndex is var d && d >= 0 && d <= last ? d : last;
        var (live, seconds) = await RunLayersAsync(model, k, frame);
        var payload = Encode(model, k, live, seconds);

        InferenceResultResponse result;
        using (var span = ClientTelemetry.Source.StartActivity("send_result"))
        {
            span?.SetTag(SciotTags.SplitLayer, k);
            span?.SetTag(SciotTags.TensorBytes, payload.Length);
            var uploadStart = Stopwatch.GetTimestamp();
            await Task.Delay(_link.DelayFor(payload.Length), cancellationToken);
            result = await _api.PostResultAsync(ClientId, payload, cancellationToken);
            var transfer = Stopwatch.GetElapsedTime(uploadStart).TotalSeconds - result.ProcessingSeconds;
            _lastUpload = (Math.Max(transfer, 1e-6), payload.Length);
        }
        _telemetry.BytesSent.Add(payload.Length);
        var accuracy = frame.Truth is null ? null : DetectionMatcher.Match(ToDetections(result.Prediction), frame.Truth, CellRadius(model));
        _logger.LogInformation("{ClientId} cycle {Cycle}: {Model} split after layer {Layer} ({Bytes} bytes), server found {Count} objects{Accuracy}",
            ClientId, Cycles + 1, model.Package.Name, k, payload.Length, result.Prediction.Detections.Count,
            accuracy is null ? "" : $", precision {accuracy.Precision:F2} recall {accuracy.Recall:F2}");
        return new CycleReport(Cycles + 1, true, model.Package.Name, decision.OffloadingLayerIndex, k, seconds, result.Prediction, null, accuracy, null);
    }

    private async Task<CycleReport> RunLocalCycleAsync(LoadedModel model, Frame frame, string? problem, CancellationToken cancellationToken)
    {
        var last = model.Package.Graph.LastLayer;
        var (live, seconds) = await RunLayersAsync(model, last, frame);
        var manifest = model.Package.Manifest;
        var detections = FomoDecoder.Decode(live[0], manifest.Input.Width, manifest.Input.Height, manifest.Classes);
        var accuracy = frame.Truth is null ? null : DetectionMatcher.Match(detections, frame.Truth, CellRadius(model));
        LocalOnlyCycles++;
        _telemetry.LocalOnlyCycles.Add(1);
        return new CycleReport(Cycles + 1, false, manifest.Name, -1, last, seconds, null, detections, accuracy, problem);
    }

    private async Task<(IReadOnlyList<NamedTensor> Live, double[] Seconds)> RunLayersAsync(LoadedModel model, int k, Frame frame)
    {
        using var span = ClientTelemetry.Source.StartActivity("device_inference");
        span?.SetTag(SciotTags.SplitLayer, k);
        var input = model.Package.Manifest.Input;
        var tensor = InputTensorizer.ToTensor(frame.Image, input.Name, input.Scale, input.Offset);
        var result = model.Layerwise.Run(k, tensor);
        var reported = _emulator.Emulate(model.Package.Name, result.LayerSeconds);
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

    private byte[] Encode(LoadedModel model, int k, IReadOnlyList<NamedTensor> live, double[] seconds)
    {
        var times = seconds.Select(s => (float)s).ToArray();
        var messageId = ++_messageId;
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
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
            Tensors = live,
        }.Encode();
    }

    private async Task TryReconnectAsync(CancellationToken cancellationToken)
    {
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
                     ?? throw new ModelLoadException(outcome.ModelName, "fallback model is not among the device's bundled models"));
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
        if (_model?.Package.Manifest.Version == package.Manifest.Version)
        {
            return;
        }
        _model?.Dispose();
        _model = new LoadedModel(package);
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

    private static float CellRadius(LoadedModel model) =>
        (float)model.Package.Manifest.Input.Width / model.Package.Manifest.Output.Shape[^1];

    private static IReadOnlyList<Detection> ToDetections(PredictionSummary prediction) =>
        prediction.Detections.Select(d => new Detection(d.ClassIndex, d.Label, d.CenterX, d.CenterY, d.Confidence, d.CellCount)).ToList();

    public void Dispose() => _model?.Dispose();

    /// <summary>A model ready to run on the device: one split runtime, timed layer by layer.</summary>
    private sealed class LoadedModel : IDisposable
    {
        private readonly SplitModel _split;

        public LoadedModel(ModelPackage package)
        {
            Package = package;
            _split = new SplitModel(package.Graph);
            Layerwise = new LayerwiseHeadRunner(_split);
        }

        public ModelPackage Package { get; }
        public LayerwiseHeadRunner Layerwise { get; }

        public void Dispose() => _split.Dispose();
    }
}
