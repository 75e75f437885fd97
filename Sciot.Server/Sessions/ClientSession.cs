using Sciot.Core.Evaluation;
using Sciot.Core.Offloading;
using Sciot.Core.Protocol.Json;
using Sciot.Server.Rejections;

namespace Sciot.Server.Sessions;

/// <summary>
/// One client's session: its assigned model and everything the server learnt from it, with the rules that change
/// them. Every intent takes the session's own lock, so callers never see or lock its state. Rules kept here:
/// statistics belong to one model (a model change drops them and a forced layer); a decision is made once per cycle
/// (after a result, for the next cycle; served as is by the next decision request); a refresh (-1) is pending until a
/// result covering every layer arrives; unstable device times (variance detector) schedule a refresh and restart
/// the variance window, so one noisy stretch asks for one refresh; a result is applied once (a retried upload gets
/// the first reply again); the detection quality a device reports counts for the model it was assigned (running total,
/// stored, and a window of recent results, in memory like the variance window).
/// </summary>
public sealed class ClientSession
{
    /// <summary>How many recent results are remembered for retries: a retry follows its original within seconds.</summary>
    public const int RememberedResults = 8;

    private readonly Lock _sync = new();
    private readonly SessionSettings _settings;
    private ClientCapabilities? _capabilities;
    private string? _remoteAddress;
    private DateTimeOffset _lastSeen;
    private long _inferenceCount;
    private Ema[] _deviceSeconds = [];
    private long[] _deviceSamples = [];
    private BandwidthEstimator _bandwidth;
    private LayerVarianceMonitor _variance = null!;
    private DetectionQuality _quality = DetectionQuality.None;
    private DetectionQualityWindow _recentQuality = null!;
    private bool _refreshPending;
    private string? _refreshReason;
    private int? _forcedLayer;
    private OffloadingDecision? _current;
    private OffloadingDecision? _pending;
    private byte[]? _latestFrame;
    private DateTimeOffset? _latestFrameAt;
    private long _framesReceived;
    private readonly Queue<Remembered> _recent = new();

    private ClientSession(string clientId, string modelName, int layerCount, DateTimeOffset registeredAt, SessionSettings settings)
    {
        ClientId = clientId;
        ModelName = modelName;
        RegisteredAt = registeredAt;
        _lastSeen = registeredAt;
        _settings = settings;
        _bandwidth = new BandwidthEstimator(settings.EmaAlpha);
        NewStatistics(layerCount);
    }

    public string ClientId { get; }

    public DateTimeOffset RegisteredAt { get; }

    /// <summary>The assigned model; read without the lock it may be stale by the time it is used, which <see cref="Apply"/> checks.</summary>
    public string ModelName { get; private set; }

    public static ClientSession New(string clientId, string modelName, int layerCount, DateTimeOffset now, SessionSettings settings) =>
        new(clientId, modelName, layerCount, now, settings);

    /// <summary>A session as stored: assignment, activity and learnt statistics; the variance window starts empty.</summary>
    public static ClientSession Restore(string clientId, string modelName, int layerCount, ClientCapabilities? capabilities, string? remoteAddress,
        DateTimeOffset registeredAt, DateTimeOffset lastSeen, long inferenceCount, ClientStatistics? statistics, SessionSettings settings)
    {
        var session = new ClientSession(clientId, modelName, layerCount, registeredAt, settings)
        {
            _capabilities = capabilities,
            _remoteAddress = remoteAddress,
            _lastSeen = lastSeen,
            _inferenceCount = inferenceCount,
        };
        if (statistics is not null && statistics.DeviceSeconds.Count == layerCount && statistics.DeviceSamples.Count == layerCount)
        {
            for (var i = 0; i < layerCount; i++)
            {
                if (statistics.DeviceSeconds[i] is { } seconds)
                {
                    session._deviceSeconds[i].Update(seconds);
                }
                session._deviceSamples[i] = statistics.DeviceSamples[i];
            }
            if (statistics.BandwidthBytesPerSecond is { } bandwidth)
            {
                // One synthetic second of upload at the stored rate gives the estimator exactly that rate.
                session._bandwidth.AddMeasurement((long)Math.Round(bandwidth), 1.0);
            }
            session._quality = statistics.Quality ?? DetectionQuality.None;
        }
        return session;
    }

    /// <summary>The model and the time of the last request: what load-aware assignment counts, without a whole snapshot.</summary>
    public (string ModelName, DateTimeOffset LastSeen) Activity()
    {
        lock (_sync)
        {
            return (ModelName, _lastSeen);
        }
    }

    /// <summary>A registration (first or returning): what the device says about itself now.</summary>
    public void Register(ClientCapabilities? capabilities, string? remoteAddress, DateTimeOffset now)
    {
        lock (_sync)
        {
            _capabilities = capabilities ?? _capabilities;
            _remoteAddress = remoteAddress;
            _lastSeen = now;
        }
    }

    /// <summary>
    /// Assigns a model; a change drops the statistics of the old one, its forced layer, any decision made for it and
    /// the latest frame (sized for the old model's input, it cannot be shown with the new one). Returns whether it changed.
    /// </summary>
    public bool Assign(string modelName, int layerCount)
    {
        lock (_sync)
        {
            if (modelName == ModelName && _deviceSeconds.Length == layerCount)
            {
                return false;
            }
            ModelName = modelName;
            NewStatistics(layerCount);
            _forcedLayer = null;
            _current = null;
            _pending = null;
            _latestFrame = null;
            _latestFrameAt = null;
            return true;
        }
    }

    public void RecordFrame(byte[] frame, DateTimeOffset now)
    {
        lock (_sync)
        {
            _latestFrame = frame;
            _latestFrameAt = now;
            _framesReceived++;
            _lastSeen = now;
        }
    }

    /// <summary>The latest frame the device uploaded (RGB565), or null.</summary>
    public byte[]? LatestFrame()
    {
        lock (_sync)
        {
            return _latestFrame;
        }
    }

    /// <summary>
    /// The decision for the client's coming cycle: the one its last result produced if it is still pending
    /// (<c>Made</c> is false then), else a new one.
    /// </summary>
    public (OffloadingDecision Decision, bool Made) Decide(ModelCosts costs, double randomDraw)
    {
        lock (_sync)
        {
            if (_pending is { } pending && pending.ModelName == costs.ModelName)
            {
                _pending = null;
                return (pending, false);
            }
            return (DecideLocked(costs, randomDraw), true);
        }
    }

    /// <summary>
    /// The reply already sent for this upload, if it is a retry of one that was applied and stored; null if it is new
    /// or its record could not be stored (see <see cref="Forget"/>). A retry of an upload still being processed is a
    /// conflict: the device tries again later.
    /// </summary>
    public InferenceResultResponse? Replay(ResultKey key)
    {
        lock (_sync)
        {
            return ReplayLocked(key);
        }
    }

    /// <summary>Remembers the reply of an applied result once it is stored, for a retry of the same upload.</summary>
    public void Acknowledge(ResultKey key, InferenceResultResponse reply)
    {
        lock (_sync)
        {
            Replace(key, entry => entry with { Reply = reply, InProgress = false });
        }
    }

    /// <summary>The replies of the remembered results that were stored and acknowledged, oldest first (what a grain persists).</summary>
    public IReadOnlyList<(ResultKey Key, InferenceResultResponse Reply)> AcknowledgedReplies()
    {
        lock (_sync)
        {
            return _recent.Where(e => e.Reply is not null).Select(e => (e.Key, e.Reply!)).ToList();
        }
    }

    /// <summary>A reply acknowledged before this session was restored, so a retry of that upload is still recognised.</summary>
    public void RememberAcknowledged(ResultKey key, InferenceResultResponse reply)
    {
        lock (_sync)
        {
            Remember(new Remembered(key, reply, Applied: null, InProgress: false));
        }
    }

    /// <summary>
    /// Marks an applied result whose record could not be stored: the device's retry is then processed and stored
    /// again, but <see cref="Apply"/> hands it the application it already made instead of counting the result twice
    /// (its device times, samples, bandwidth and quality are in the session once).
    /// </summary>
    public void Forget(ResultKey key)
    {
        lock (_sync)
        {
            Replace(key, entry => entry with { InProgress = false });
        }
    }

    /// <summary>
    /// Applies an accepted result: device-time EMAs and samples, bandwidth, variance, refresh state, activity; then
    /// decides the next cycle. A result computed for another model than the one now assigned is a conflict.
    /// </summary>
    public ResultApplied Apply(ResultObservation result, ModelCosts costs, double randomDraw)
    {
        lock (_sync)
        {
            if (Find(result.Key) is { Reply: null, InProgress: false, Applied: { } unstored } && result.ModelName == ModelName)
            {
                // A retry of a result applied before its record failed to store: applied once, with the session as it is now.
                Replace(result.Key, entry => entry with { InProgress = true });
                return unstored with { Statistics = StatisticsLocked(), InferenceCount = _inferenceCount, LastSeen = _lastSeen };
            }
            if (ReplayLocked(result.Key) is not null)
            {
                throw new RequestRejectedException(RejectionKind.Conflict, "Result already applied",
                    $"message {result.Key.MessageId} of client '{ClientId}' was applied already; ask for its reply with Replay");
            }
            if (result.ModelName != ModelName || costs.ModelName != ModelName)
            {
                throw new RequestRejectedException(RejectionKind.Conflict, "Model changed",
                    $"client '{ClientId}' was re-assigned to {ModelName} while this result for {result.ModelName} was processed");
            }
            if (result.LayerSeconds.Count > _deviceSeconds.Length)
            {
                throw new RequestRejectedException(RejectionKind.Unprocessable, "Layer times do not match the model",
                    $"{ModelName} has {_deviceSeconds.Length} layers; the result reports {result.LayerSeconds.Count} layer times", "layer_times");
            }
            for (var i = 0; i < result.LayerSeconds.Count; i++)
            {
                _deviceSeconds[i].Update(result.LayerSeconds[i]);
                _deviceSamples[i]++;
            }
            if (result.LayerSeconds.Count == _deviceSeconds.Length)
            {
                _refreshPending = false;
                _refreshReason = null;
            }
            string? triggered = null;
            var unstable = _variance.AddSamples(result.LayerSeconds.ToArray());
            if (unstable.Count > 0)
            {
                triggered = $"device time variance above threshold at layers {string.Join(",", unstable)}";
                _refreshPending = true;
                _refreshReason = triggered;
                _variance = NewVarianceMonitor(_deviceSeconds.Length);
            }
            if (result.UploadSeconds is { } seconds && result.UploadBytes is { } uploaded)
            {
                _bandwidth.AddMeasurement(uploaded, seconds);
            }
            else if (!result.DeviceMeasuresUpload)
            {
                _bandwidth.EstimateFromTimestamps(result.SentAtUnixSeconds, result.ReceivedAtUnixSeconds, result.BodyBytes);
            }
            if (result.Quality is { } quality)
            {
                _quality = _quality.Add(quality);
                _recentQuality.Add(quality);
            }
            var transferSeconds = _bandwidth.HasEstimate ? result.TensorBytes / _bandwidth.BytesPerSecond : 0;
            _inferenceCount++;
            _lastSeen = result.At;
            var next = DecideLocked(costs, randomDraw);
            _pending = next;
            var applied = new ResultApplied(transferSeconds, next, triggered, StatisticsLocked(), _inferenceCount, _lastSeen);
            Remember(new Remembered(result.Key, null, applied, InProgress: true));
            return applied;
        }
    }

    /// <summary>Forces (or with null releases) the decision; the layer must exist in the assigned model.</summary>
    public void ForceLayer(int? layer)
    {
        lock (_sync)
        {
            var last = _deviceSeconds.Length - 1;
            if (layer is { } k && (k < -1 || k > last))
            {
                throw new RequestRejectedException(RejectionKind.Invalid, "Layer out of range", $"layer must be in -1..{last} for {ModelName}, or null", "layer");
            }
            _forcedLayer = layer;
            _pending = null;
        }
    }

    /// <summary>Asks the client to run every layer locally in its next cycle, so its device times are measured anew.</summary>
    public void RequestRefresh(string reason)
    {
        lock (_sync)
        {
            _refreshPending = true;
            _refreshReason = reason;
            _pending = null;
        }
    }

    /// <summary>Forgets what was learnt (device times, bandwidth, variance) and asks for a refresh.</summary>
    public void ResetStatistics(string reason)
    {
        lock (_sync)
        {
            NewStatistics(_deviceSeconds.Length);
            _refreshPending = true;
            _refreshReason = reason;
            _pending = null;
        }
    }

    public ClientSessionSnapshot Snapshot()
    {
        lock (_sync)
        {
            return new ClientSessionSnapshot
            {
                ClientId = ClientId,
                ModelName = ModelName,
                Capabilities = _capabilities,
                RemoteAddress = _remoteAddress,
                RegisteredAt = RegisteredAt,
                LastSeen = _lastSeen,
                InferenceCount = _inferenceCount,
                FramesReceived = _framesReceived,
                LatestFrameAt = _latestFrameAt,
                CurrentDecision = _current,
                ForcedLayer = _forcedLayer,
                RefreshPending = _refreshPending,
                RefreshReason = _refreshReason,
                Statistics = StatisticsLocked(),
                DeviceTimeVariation = _variance.Layers.Select(l => l.CoefficientOfVariation).ToArray(),
                RecentQuality = _recentQuality.Current,
                QualityWindow = _recentQuality.Capacity,
            };
        }
    }

    /// <summary>
    /// An upload the session knows: acknowledged (<c>Reply</c> set), being processed (<c>InProgress</c>), or applied
    /// with its record not stored (neither; <c>Applied</c> is what its application returned).
    /// </summary>
    private readonly record struct Remembered(ResultKey Key, InferenceResultResponse? Reply, ResultApplied? Applied, bool InProgress);

    private void Remember(Remembered entry)
    {
        _recent.Enqueue(entry);
        if (_recent.Count > RememberedResults)
        {
            _recent.Dequeue();
        }
    }

    private Remembered? Find(ResultKey key)
    {
        foreach (var entry in _recent)
        {
            if (entry.Key == key)
            {
                return entry;
            }
        }
        return null;
    }

    private void Replace(ResultKey key, Func<Remembered, Remembered> change)
    {
        var entries = _recent.ToArray();
        _recent.Clear();
        foreach (var entry in entries)
        {
            _recent.Enqueue(entry.Key == key ? change(entry) : entry);
        }
    }

    private InferenceResultResponse? ReplayLocked(ResultKey key) => Find(key) switch
    {
        { Reply: { } reply } => reply,
        { InProgress: true } => throw new RequestRejectedException(RejectionKind.Conflict, "Result still being processed",
            $"message {key.MessageId} of client '{ClientId}' arrived twice; the first copy is still being stored, so try again shortly"),
        _ => null,
    };

    private OffloadingDecision DecideLocked(ModelCosts costs, double randomDraw)
    {
        int layer;
        string reason;
        double[]? estimated = null;
        if (_forcedLayer is { } forced)
        {
            (layer, reason) = (forced, "forced by operator");
        }
        else if (_refreshPending)
        {
            (layer, reason) = (-1, "local-inference refresh: " + _refreshReason);
        }
        else if (!_deviceSeconds.All(e => e.HasValue))
        {
            (layer, reason) = (-1, "device layer times not yet known: run every layer locally");
        }
        else if (randomDraw < _settings.LocalInferenceProbability)
        {
            (layer, reason) = (-1, "periodic local-inference refresh");
        }
        else
        {
            var bandwidth = _bandwidth.HasEstimate ? _bandwidth.BytesPerSecond : _settings.InitialBandwidthBytesPerSecond;
            var device = _deviceSeconds.Select(e => e.Value).ToArray();
            var plan = OffloadingPlanner.Plan(device, costs.EdgeSeconds, costs.LiveBytesAfter, bandwidth);
            (layer, reason) = (plan.Layer, $"minimum estimated cost {plan.EstimatedSeconds * 1000:F1} ms at {bandwidth / 1000:F0} KB/s");
            estimated = plan.CostPerLayer;
        }
        _current = new OffloadingDecision(layer, ModelName, reason, estimated);
        return _current;
    }

    private ClientStatistics StatisticsLocked() => new(
        _deviceSeconds.Select(e => e.HasValue ? e.Value : (double?)null).ToArray(),
        _deviceSamples.ToArray(),
        _bandwidth.HasEstimate ? _bandwidth.BytesPerSecond : null,
        _quality.Frames == 0 ? null : _quality);

    private void NewStatistics(int layerCount)
    {
        _deviceSeconds = Enumerable.Range(0, layerCount).Select(_ => new Ema(_settings.EmaAlpha)).ToArray();
        _deviceSamples = new long[layerCount];
        _bandwidth = new BandwidthEstimator(_settings.EmaAlpha);
        _variance = NewVarianceMonitor(layerCount);
        _quality = DetectionQuality.None;
        _recentQuality = new DetectionQualityWindow(_settings.QualityWindow);
    }

    private LayerVarianceMonitor NewVarianceMonitor(int layerCount) => new(layerCount, _settings.VarianceWindow, _settings.VarianceThreshold);
}
